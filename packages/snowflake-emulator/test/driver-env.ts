// Imported before snowflake-sdk: these are read when the driver module loads.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true'
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1'
