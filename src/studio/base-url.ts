/**
 * The gateway's public base URL as the caller reached it, for the snippets it serves.
 *
 * Behind a proxy or load balancer, X-Forwarded-Proto and X-Forwarded-Host name what the caller used (their first
 * value: the proxy nearest the caller); otherwise the Host header and the connection's own protocol. The result
 * is written into Studio code inside a string literal, so only a plain host (name, IPv4, bracketed IPv6) with an
 * optional port passes; anything else gives a placeholder to replace. It is answered only to the caller that
 * sent the headers, so a forged header misleads no one else.
 */
export interface RequestOrigin {
  forwardedProto?: string | string[]
  forwardedHost?: string | string[]
  host?: string
  /** The connection's protocol, `http` or `https`. */
  protocol: string
}

export interface BaseUrl {
  url: string
  /** Where it came from, for the snippet's comment. */
  from: string
}

const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/
export const placeholderBaseUrl = 'https://gateway-host.invalid'

const first = (value: string | string[] | undefined): string | undefined => {
  const text = Array.isArray(value) ? value[0] : value
  const head = text?.split(',')[0]?.trim()
  return head || undefined
}

export function publicBaseUrl (origin: RequestOrigin): BaseUrl {
  const forwardedHost = first(origin.forwardedHost)
  const forwardedProto = first(origin.forwardedProto)?.toLowerCase()
  const host = forwardedHost ?? origin.host
  const proto = forwardedProto ?? origin.protocol
  if (host === undefined || !hostPattern.test(host) || (proto !== 'http' && proto !== 'https')) {
    return { url: placeholderBaseUrl, from: 'nowhere usable in the request (a placeholder: replace it)' }
  }
  const from = [
    forwardedProto ? 'X-Forwarded-Proto' : 'the connection',
    forwardedHost ? 'X-Forwarded-Host' : 'Host'
  ].join(' and ')
  return { url: `${proto}://${host}`, from: `${from} of the request for this snippet` }
}
