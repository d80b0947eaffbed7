// Stands in for the `ws` package in the grader worker bundle (esbuild alias): on Node, Pyodide turns Python
// sockets into WebSockets through `ws`. Here there is none, so a socket that got past Python still opens nothing.
const refuse = () => {
  throw new Error('the grader sandbox has no network');
};

export class WebSocket {
  constructor() {
    refuse();
  }
}

export class WebSocketServer {
  constructor() {
    refuse();
  }
}

export const Server = WebSocketServer;
export default WebSocket;
