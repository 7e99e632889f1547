import { connectionCredentials } from '../../src/live/live-transports';

describe("a WebSocket's credentials (connectionCredentials)", () => {
  it('reads connection_init first: Authorization (either case), then token as a bearer token, and x-api-key', () => {
    expect(connectionCredentials({ Authorization: 'Bearer a.b.c' }, {})).toEqual({ authorization: 'Bearer a.b.c' });
    expect(connectionCredentials({ authorization: ' Bearer x ' }, {})).toEqual({ authorization: 'Bearer x' });
    expect(connectionCredentials({ token: 'a.b.c' }, {})).toEqual({ authorization: 'Bearer a.b.c' });
    // Hive Gateway forwarding the client's header into connectionParams.token: not "Bearer Bearer …".
    expect(connectionCredentials({ token: 'Bearer a.b.c' }, {})).toEqual({ authorization: 'Bearer a.b.c' });
    expect(connectionCredentials({ 'x-api-key': 'k1' }, {})).toEqual({ apiKey: 'k1' });
  });

  it("falls back to the handshake's headers (a gateway's header propagation), and ignores what is not a string", () => {
    expect(connectionCredentials(undefined, { authorization: 'Bearer from-router', 'x-api-key': 'k2' })).toEqual({
      authorization: 'Bearer from-router',
      apiKey: 'k2',
    });
    expect(connectionCredentials({ Authorization: 'Bearer init' }, { authorization: 'Bearer handshake' })).toEqual({
      authorization: 'Bearer init',
    });
    expect(connectionCredentials({ Authorization: 42, token: { nested: true } }, {})).toEqual({});
  });
});
