import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

describe('endpoints: Socket.IO and ws servers on the engine', () => {
  it('lists each server at its upgrade path and the events of a server imported from another file, of a namespace, of a class field', async () => {
    const root = tempRepo('sockets', {
      'package.json': JSON.stringify({ name: 'rt', version: '1.0.0', dependencies: { 'socket.io': '^4.0.0', ws: '^8.0.0' } }),
      'src/io.ts': `import { createServer } from 'node:http';
import { Server } from 'socket.io';
export const io = new Server(createServer());
`,
      'src/events.ts': `import { io } from './io';
const ROOM = 'room:join';
function onJoin() {}
io.on('connection', (socket) => {
  socket.on(ROOM, onJoin);
  socket.on('disconnect', () => {});
});
io.of('/chat').on('connection', (s) => {
  s.on('message', (m) => m);
});
`,
      'src/gateway.ts': `import { Server } from 'socket.io';
export class Gateway {
  private io = new Server();
  start() {
    this.io.on('connect', (client) => {
      client.on('ping', () => {});
    });
  }
}
`,
      'src/live.ts': `import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ path: '/live' });
wss.on('connection', (ws) => ws.send('hi'));
`,
      'src/legacy.js': `var server = require('http').Server();
var io = require('socket.io')(server, { path: '/rt' });
`,
      'src/unstarted.ts': `import { createServer } from 'node:http';
import { Server } from 'socket.io';
// Its HTTP server never listens (the app listens on its own): nothing is served at /chat-rt.
export function attach(app) {
  const server = createServer(app);
  const io = new Server(server, { path: '/chat-rt' });
  return io;
}
`,
    });
    const model = await analyseRepo(root);
    const ws = model.endpoints.filter((e) => e.protocol === 'websocket').map((e) => `${e.method} ${e.path} ${e.details?.framework} ${e.handler ?? '-'}`);
    // Each server is one WS endpoint at the path clients upgrade at (socket.io's default /socket.io); events apart.
    expect(ws.sort()).toEqual([
      'EVENT /chat message socket.io -',
      'EVENT ping socket.io -',
      'EVENT room:join socket.io onJoin',
      'WS /live ws -',
      'WS /rt socket.io -',
      'WS /socket.io socket.io -',
    ]);
  });
});
