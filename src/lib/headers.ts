/**
 * One HTTP header value as a single string: node:http and undici both hand repeated headers over as
 * arrays, while Apollo's HeaderMap and axios's AxiosHeaders want one string (RFC 9110 section 5.3:
 * repeated fields combine with ", ").
 */
export function headerValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
