/*
 * Preloaded into the bench's TypeScript child processes after ts-node: makes `require` try
 * `.ts` before `.json`, as Jest does. Without it `require('./WhatsAppBlockUsers.node')` finds
 * the node's codex file `WhatsAppBlockUsers.node.json` before `WhatsAppBlockUsers.node.ts`.
 */
'use strict';
const Module = require('module');
const extensions = Module._extensions;
for (const ext of ['.json', '.node']) {
	const loader = extensions[ext];
	delete extensions[ext];
	extensions[ext] = loader;
}
