/** How a reader names a protocol, wherever the document, its diagrams or an export name one. */

/** An endpoint's protocol (the model's `Endpoint['protocol']`). */
export const PROTOCOL_NAMES: Record<string, string> = {
  http: 'HTTP',
  graphql: 'GraphQL',
  grpc: 'gRPC',
  websocket: 'WebSocket',
  rpc: 'remote calls',
  trpc: 'tRPC',
};

/**
 * The protocol of a URL scheme a deployment configures a call with (`https` → HTTP, `grpc` →
 * gRPC, `amqp` → AMQP); `undefined` when the value had no scheme.
 */
export function schemeProtocol(scheme: string | undefined): string | undefined {
  if (!scheme) return undefined;
  const s = scheme.toLowerCase();
  if (s === 'http' || s === 'https') return 'HTTP';
  if (s === 'grpc' || s === 'grpcs') return 'gRPC';
  if (s === 'ws' || s === 'wss') return 'WebSocket';
  return s.toUpperCase();
}
