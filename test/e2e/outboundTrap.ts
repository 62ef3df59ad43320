/**
 * An HTTP(S) proxy on loopback that forwards nothing. Give it to a process as HTTP_PROXY and
 * HTTPS_PROXY (with NO_PROXY covering loopback) and every call it makes to a host outside the
 * machine comes here instead: recorded (`CONNECT api.n8n.io:443`, `GET http://host/path`) and
 * refused at once with HTTP 403. The test then never leaves the machine, never waits on DNS,
 * and can say what the process tried to reach.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

export interface OutboundTrap {
	/** `http://127.0.0.1:PORT`, for HTTP_PROXY / HTTPS_PROXY. */
	url: string;
	/** What was asked for, in arrival order. */
	seen: string[];
	close(): Promise<void>;
}

export async function startOutboundTrap(): Promise<OutboundTrap> {
	const seen: string[] = [];
	const server = createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
		res.end('outbound traffic is refused in the end-to-end tests\n');
	});
	server.on('connect', (req, socket) => {
		seen.push(`CONNECT ${req.url}`);
		socket.on('error', () => undefined);
		socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});
	server.on('clientError', (_err, socket) => socket.destroy());
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
