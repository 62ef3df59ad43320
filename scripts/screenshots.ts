/**
 * `npm run screenshots`: the README's pictures, taken from the real editor.
 *
 * Prepares an n8n exactly as `npm run dev` does (scripts/dev.js: the packed package installed the
 * way n8n installs community packages, the "Splashify sandbox" credential, the example
 * workflows), in a new user folder under .cache/screenshots/, with the sandbox API in this
 * process and the users of `npm run dev` blocked. Then, in headless Chromium (playwright-core,
 * as the e2e tests drive it), it signs in, opens the example workflows, runs them with the
 * editor's *Execute workflow* button, and saves PNGs of the panels that matter under
 * docs/images/ (or `--out <dir>`), cropped to the panel.
 *
 * Every step waits for a named element or text, never for a time. A step that cannot find what
 * it needs, an image over MAX_BYTES, or a caption's text missing from the page makes the command
 * fail (exit 1), naming the image; the user folder and n8n's log are kept then.
 *
 * Chromium or Chrome: the machine's, found by scripts/n8n/system-tools.js (CHROMIUM_PATH first).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import {
	chromium,
	type Browser,
	type ElementHandle,
	type Locator,
	type Page,
} from 'playwright-core';

import { ensureN8n } from './n8n/install';
import { CHROMIUM_ARGS, currentSystem, findTool, installCommand } from './n8n/system-tools';
import { buildAndPack, freePort, makeTempDir, type N8nInstance } from './n8n/run';
import { startSandbox, type Sandbox } from '../sandbox/server';
import * as dev from './dev';

/*
 * The functions given to page.evaluate run in the browser. The project compiles without the DOM
 * library (nodes/ must not use it), so the little of it they use is declared here, in this
 * module only.
 */
interface DomRect {
	left: number;
	top: number;
	right: number;
	bottom: number;
	width: number;
	height: number;
}
interface DomElement {
	getBoundingClientRect(): DomRect;
	closest(selector: string): DomElement | null;
	querySelector(selector: string): DomElement | null;
	querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface DomText {
	textContent: string | null;
	parentElement: DomElement | null;
}
declare const document: {
	querySelector(selector: string): DomElement | null;
	createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomText | null };
	createRange(): { selectNodeContents(node: DomText): void; getBoundingClientRect(): DomRect };
};
declare const NodeFilter: { SHOW_TEXT: number };
declare function getComputedStyle(element: DomElement): { transform: string };
declare function requestAnimationFrame(callback: () => void): number;

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUT = path.join(ROOT, 'docs', 'images');
/** Images stay small enough for a README: checked after each one is written. */
export const MAX_BYTES = 200 * 1024;
/** `npm run sandbox`'s port when free, so the credential's Base URL reads as the README's. */
const SANDBOX_PORT = 8790;
const VIEWPORT = { width: 1400, height: 900 };
/** Output panels are widened to at least this, so tables show their columns. */
const OUTPUT_WIDTH = 660;

/** The machine's Chromium or Chrome, found as the e2e tests find it (scripts/n8n/system-tools.js). */
function chromiumPath(): string {
	const system = currentSystem();
	const found = findTool('chromium', system);
	if (found.path !== null) return found.path;
	const install = installCommand('chromium', system);
	throw new Error(
		`Chromium or Chrome not found (${found.problem})${install ? `: install it with ${install}` : ''}, or set CHROMIUM_PATH`,
	);
}

const say = (m: string) => console.log(`[screenshots] ${m}`);

/** One image written: where, what it shows, how big. */
export interface Taken {
	file: string;
	caption: string;
	bytes: number;
}

interface Clip {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** Where the example workflows' nodes are found (examples/workflows/). */
const WF = {
	block: {
		id: 'splashifyExBlock',
		node: 'Block users',
		last: ['Blocked', 'Not blocked: tell someone'],
	},
	list: { id: 'splashifyExListA', node: 'List blocked users', last: ['List blocked users'] },
	check: {
		id: 'splashifyExCheck',
		node: 'Check who is blocked',
		last: ['Send campaign', 'Skip: blocked', 'Check failed: do not send'],
	},
	sync: {
		id: 'splashifyExSyncN',
		node: 'Sync blocklist',
		last: ['Changed: blocked or unblocked', 'Unchanged', 'Failed: review in the CRM'],
		trigger: 'Test run',
	},
} as const;

const node = (page: Page, name: string) =>
	page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`);
const ndv = (page: Page) => page.locator('[data-test-id=ndv]');
const outputPanel = (page: Page) => page.locator('[data-test-id=output-panel]');

/**
 * The rectangle of `roots` (their union), its bottom cut to the last text, field, button or
 * picture inside (what matches `exclude` does not count), plus a margin: a panel without its
 * empty lower half.
 */
async function contentClip(
	page: Page,
	roots: Locator[],
	{ exclude = '', pad = 12 } = {},
): Promise<Clip> {
	const handles: ElementHandle[] = [];
	for (const root of roots) {
		const handle = await root.elementHandle();
		if (!handle) throw new Error(`nothing to crop to: ${root.toString()}`);
		handles.push(handle);
	}
	const clip = await page.evaluate(
		([roots, excluded, margin]) => {
			const els = roots as unknown as DomElement[];
			const skip = (el: DomElement | null) => !!(excluded && el?.closest(excluded));
			const rects = els.map((e) => e.getBoundingClientRect());
			const left = Math.min(...rects.map((r) => r.left));
			const top = Math.min(...rects.map((r) => r.top));
			const right = Math.max(...rects.map((r) => r.right));
			const limit = Math.max(...rects.map((r) => r.bottom));
			let bottom = top;
			const seen = (r: DomRect) => {
				if (r.width > 0 && r.height > 0 && r.top < limit && r.bottom > top)
					bottom = Math.max(bottom, Math.min(r.bottom, limit));
			};
			for (const root of els) {
				const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				for (let t = walker.nextNode(); t; t = walker.nextNode()) {
					if (!t.textContent?.trim() || skip(t.parentElement)) continue;
					const range = document.createRange();
					range.selectNodeContents(t);
					seen(range.getBoundingClientRect());
				}
				for (const el of Array.from(
					root.querySelectorAll('input, textarea, button, img, svg, table'),
				))
					if (!skip(el)) seen(el.getBoundingClientRect());
			}
			return {
				x: left,
				y: top,
				width: right - left,
				height: Math.min(bottom + margin, limit) - top,
			};
		},
		[handles, exclude, pad] as const,
	);
	const round = {
		x: Math.floor(clip.x),
		y: Math.floor(clip.y),
		width: Math.ceil(clip.width),
		height: Math.ceil(clip.height),
	};
	if (round.width < 50 || round.height < 50)
		throw new Error(`crop too small (${JSON.stringify(round)}): the panel has not rendered`);
	return round;
}

/**
 * Resolves once the canvas has stopped moving (its zoom and pan animate): the same transform in
 * five animation frames in a row.
 */
async function canvasSettled(page: Page): Promise<void> {
	await page.locator('.vue-flow__transformationpane').waitFor();
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const pane = document.querySelector('.vue-flow__transformationpane') as DomElement;
				let last = '';
				let same = 0;
				const deadline = Date.now() + 20_000;
				const tick = () => {
					const now = getComputedStyle(pane).transform;
					same = now === last ? same + 1 : 0;
					last = now;
					if (same >= 5) return resolve();
					if (Date.now() > deadline) return reject(new Error('the canvas kept moving'));
					requestAnimationFrame(tick);
				};
				requestAnimationFrame(tick);
			}),
	);
}

/** Everything drawn for the nodes (names and handles' labels too) and the edges' labels, with a margin. */
async function canvasClip(page: Page, pad = 24): Promise<Clip> {
	await canvasSettled(page);
	const boxes = await page
		.locator('[data-test-id=canvas-node], [data-test-id=canvas-node] *, [data-test-id=edge-label]')
		.evaluateAll((els) =>
			els
				// The node's toolbar (run, disable, delete) is there, transparent, until hovered.
				.filter((e) => !e.closest('[data-test-id=canvas-node-toolbar]'))
				.map((e) => e.getBoundingClientRect())
				.filter((r) => r.width > 0 && r.height > 0)
				.map((r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom })),
		);
	if (boxes.length === 0) throw new Error('no nodes on the canvas');
	const canvas = await page.locator('[data-test-id=canvas-wrapper]').boundingBox();
	if (!canvas) throw new Error('no canvas');
	const l = Math.max(canvas.x, Math.min(...boxes.map((b) => b.l)) - pad);
	const t = Math.max(canvas.y, Math.min(...boxes.map((b) => b.t)) - pad);
	const r = Math.min(canvas.x + canvas.width, Math.max(...boxes.map((b) => b.r)) + pad);
	const b = Math.min(canvas.y + canvas.height, Math.max(...boxes.map((b) => b.b)) + pad);
	return { x: Math.floor(l), y: Math.floor(t), width: Math.ceil(r - l), height: Math.ceil(b - t) };
}

class Shooter {
	readonly taken: Taken[] = [];

	constructor(
		private readonly page: Page,
		private readonly outDir: string,
	) {}

	/**
	 * Saves `file` cropped to `clip`, after checking that each of `mustShow` is visible inside
	 * the crop, with tooltips and the mouse out of the way. Fails on a missing text or a big file.
	 */
	async save(
		file: string,
		caption: string,
		clip: Clip,
		mustShow: Array<string | RegExp | Locator> = [],
	): Promise<void> {
		const { page } = this;
		const within = (box: { x: number; y: number; width: number; height: number } | null) =>
			!!box &&
			box.x >= clip.x - 1 &&
			box.y >= clip.y - 1 &&
			box.x + box.width <= clip.x + clip.width + 1 &&
			box.y + box.height <= clip.y + clip.height + 1;
		for (const wanted of mustShow) {
			const matches = (
				typeof wanted === 'string' || wanted instanceof RegExp ? page.getByText(wanted) : wanted
			).filter({ visible: true });
			await matches
				.first()
				.waitFor()
				.catch((error: Error) => {
					throw new Error(
						`${file}: "${String(wanted)}" is not shown (${error.message.split('\n')[0]})`,
					);
				});
			const boxes = await Promise.all((await matches.all()).map((m) => m.boundingBox()));
			if (!boxes.some(within))
				throw new Error(
					`${file}: "${String(wanted)}" is shown only outside the crop ${JSON.stringify(clip)}`,
				);
		}
		await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
		// Tooltips, and the NDV's buttons to the next nodes that float over the output panel's edge.
		const hide = await page.addStyleTag({
			content:
				'.el-popper[role=tooltip], .el-tooltip__popper, [data-test-id=floating-nodes] { visibility: hidden !important; }',
		});
		const target = path.join(this.outDir, file);
		try {
			await page.screenshot({ path: target, clip, animations: 'disabled', caret: 'hide' });
		} finally {
			await hide.evaluate((el) => el.remove());
		}
		const bytes = fs.statSync(target).size;
		if (bytes > MAX_BYTES)
			throw new Error(`${file} is ${bytes} bytes, over ${MAX_BYTES}: crop it smaller`);
		this.taken.push({ file: target, caption, bytes });
		say(`${path.relative(ROOT, target)} (${(bytes / 1024).toFixed(0)} KB): ${caption}`);
	}
}

async function signIn(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', owner.email);
	await page.fill('input[name=password]', owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((u) => !u.pathname.includes('signin'));
}

/** Opens a saved workflow and runs it with *Execute workflow*; resolves when `last` have run. */
async function openAndRun(
	page: Page,
	baseUrl: string,
	wf: { id: string; node: string; last: readonly string[]; trigger?: string },
): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${wf.id}`);
	await node(page, wf.node).waitFor();
	if (wf.trigger) {
		// With two triggers the main button starts from the first: use the trigger's own
		// Execute workflow button, shown while the trigger is hovered.
		await node(page, wf.trigger).hover();
		await page.locator(`[data-test-id="execute-workflow-button-${wf.trigger}"]`).click();
	} else {
		await page.locator('[data-test-id=execute-workflow-button]').click();
	}
	for (const name of [wf.node, ...wf.last])
		await node(page, name).locator('[data-test-id=canvas-node-status-success]').waitFor();
}

async function openNode(page: Page, name: string): Promise<void> {
	await node(page, name).dblclick();
	await ndv(page).waitFor();
	await ndv(page).locator('[data-test-id=node-parameters]').waitFor();
}

async function closeNdv(page: Page): Promise<void> {
	await page.click('[data-test-id=ndv-close-button]');
	await ndv(page).waitFor({ state: 'hidden' });
}

/**
 * Drags the parameters panel 300 px to the left (the input panel stops it at its smallest), so
 * that the output panel is at least OUTPUT_WIDTH wide.
 */
async function widenOutput(page: Page): Promise<void> {
	const out = await outputPanel(page).boundingBox();
	if (!out) throw new Error('no output panel');
	if (out.width >= OUTPUT_WIDTH) return;
	const handle = await page.locator('[data-test-id=panel-drag-button]').boundingBox();
	if (!handle) throw new Error('no panel drag handle');
	const x = handle.x + handle.width / 2;
	const y = handle.y + handle.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x - 300, y, { steps: 8 });
	await page.mouse.up();
	await page.waitForFunction(
		(w) =>
			(document.querySelector('[data-test-id=output-panel]')?.getBoundingClientRect().width ?? 0) >=
			w,
		OUTPUT_WIDTH,
	);
}

/** Shows output `index` (a branch tab) of the open node in `mode` (table or json). */
async function showOutput(
	page: Page,
	{
		index,
		mode,
		expect,
	}: { index?: number; mode: 'table' | 'json' | 'schema'; expect: string | RegExp },
): Promise<void> {
	const out = outputPanel(page);
	if (index !== undefined) {
		const tab = out.locator(`[data-test-id=branches] [data-test-id=tab-${index}]`);
		await tab.click();
	}
	await out.locator(`[data-test-id=radio-button-${mode}]`).click();
	await out.locator('[data-test-id=ndv-data-container]').getByText(expect).first().waitFor();
}

const PARAMS_EXCLUDE = '[data-test-id=node-feature-request]';

async function blockShots(page: Page, baseUrl: string, shots: Shooter): Promise<void> {
	await openAndRun(page, baseUrl, WF.block);
	await shots.save(
		'block-workflow-run.png',
		'The Block example after a run: 3 items on the Succeeded output, the unusable number on Failed',
		await canvasClip(page),
		[
			'Succeeded',
			'Failed',
			'3 items',
			node(page, 'Not blocked: tell someone').locator('[data-test-id=canvas-node-status-success]'),
		],
	);

	await openNode(page, WF.block.node);
	const settings = ndv(page).locator('.node-settings');
	await shots.save(
		'block-parameters.png',
		'WhatsApp Block Users, Block: credential, Users from an expression, Phone Number ID, Options',
		await contentClip(page, [settings], { exclude: PARAMS_EXCLUDE }),
		[
			ndv(page).locator('[data-test-id=parameter-input-users]'),
			ndv(page).locator('[data-test-id=collection-parameter-add]'),
		],
	);

	await widenOutput(page);
	await showOutput(page, { index: 0, mode: 'table', expect: '+919999900001' });
	await shots.save(
		'block-run-succeeded.png',
		'The Block run: the Succeeded output, one item per user, status "blocked"',
		await contentClip(page, [outputPanel(page)]),
		['Succeeded Branch (3 items)', 'Failed Branch (1 item)'],
	);
	await showOutput(page, { index: 1, mode: 'schema', expect: 'INVALID_NUMBER' });
	await shots.save(
		'block-run-failed.png',
		'The Block run: the Failed output, the unusable entry with its error',
		await contentClip(page, [outputPanel(page)]),
		['Failed Branch (1 item)', /neither a phone number nor/],
	);

	await page.click('[data-test-id=credential-edit-button]');
	const modal = page.locator('[data-test-id=editCredential-modal]');
	await modal.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
	await shots.save(
		'credential-test-passed.png',
		'The Splashify API credential: API key, Phone Number ID, Base URL, API Version, "Connection tested successfully"',
		await contentClip(page, [modal]),
		[
			modal.getByText('Connection tested successfully'),
			modal.locator('[data-test-id=parameter-input-apiVersion]'),
		],
	);
	await modal.getByRole('button', { name: 'Close this dialog' }).click();
	await modal.waitFor({ state: 'hidden' });
	await closeNdv(page);
}

/** Runs `wf`, opens its node and saves its output panel (with `withParameters`, the parameters panel beside it). */
async function outputShot(
	page: Page,
	baseUrl: string,
	shots: Shooter,
	wf: (typeof WF)[keyof typeof WF],
	o: {
		file: string;
		caption: string;
		index?: number;
		expect: string | RegExp;
		mustShow: Array<string | RegExp | Locator>;
		withParameters?: boolean;
	},
): Promise<void> {
	await openAndRun(page, baseUrl, wf);
	await openNode(page, wf.node);
	await widenOutput(page);
	await showOutput(page, { index: o.index, mode: 'table', expect: o.expect });
	const panels = o.withParameters
		? [ndv(page).locator('.node-settings'), outputPanel(page)]
		: [outputPanel(page)];
	await shots.save(
		o.file,
		o.caption,
		await contentClip(page, panels, { exclude: PARAMS_EXCLUDE }),
		o.mustShow,
	);
	await closeNdv(page);
}

async function triggerShots(page: Page, baseUrl: string, shots: Shooter): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click('[data-test-id=canvas-add-button]');
	await page.fill(
		'[data-test-id=node-creator-search-bar] input, input[data-test-id=node-creator-search-bar]',
		'WhatsApp Blocklist',
	);
	// The node panel names a trigger without "Trigger", and offers its Events as actions.
	await page
		.locator('[data-test-id=item-iterator-item]', { hasText: 'WhatsApp Blocklist' })
		.click();
	await page.locator('[data-test-id=item-iterator-item]', { hasText: 'On blocked' }).click();
	await ndv(page).locator('[data-test-id=node-parameters]').waitFor();
	// Both events, the default the README recommends.
	await page.click('[data-test-id=parameter-input-events]');
	await page.locator('.el-select-dropdown__item:visible', { hasText: 'Unblocked' }).click();
	await ndv(page).locator('.node-settings').getByText('Events', { exact: true }).click();
	await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });

	const mode = await ndv(page).locator('[data-test-id=parameter-input-mode] input').inputValue();
	if (mode !== 'Every Minute')
		throw new Error(`trigger-test-event.png: Poll Times shows "${mode}", not "Every Minute"`);

	await ndv(page).locator('[data-test-id=node-execute-button]').click();
	await outputPanel(page).locator('[data-test-id=node-run-status-success]').waitFor();
	await widenOutput(page);
	await showOutput(page, { mode: 'table', expect: '919888800001' });
	const settings = ndv(page).locator('.node-settings');
	await shots.save(
		'trigger-test-event.png',
		'WhatsApp Blocklist Trigger: Poll Times, Events (Blocked, Unblocked), Phone Number ID, and Fetch Test Event with 3 sample events',
		await contentClip(page, [settings, outputPanel(page)], { exclude: PARAMS_EXCLUDE }),
		[
			ndv(page).locator('[data-test-id=parameter-input-events]').getByText('Unblocked'),
			outputPanel(page).getByText('3 items'),
		],
	);
}

/**
 * The whole tour, on a signed-in page. `freshBlocklist` puts the sandbox back to what
 * `npm run dev` starts with before each workflow, so every picture shows what a newcomer sees
 * when running that example first. Returns what was written.
 */
export async function takeScreenshots(
	page: Page,
	baseUrl: string,
	outDir: string,
	freshBlocklist: () => Promise<void> | void,
	only: string[] = [],
): Promise<Taken[]> {
	const shots = new Shooter(page, outDir);
	const step = async (name: string, run: () => Promise<void>) => {
		if (only.length > 0 && !only.includes(name)) return;
		try {
			await freshBlocklist();
			await run();
		} catch (error) {
			const seen = path.join(ROOT, '.cache', 'screenshots', `failed-${name}.png`);
			await page.screenshot({ path: seen }).catch(() => undefined);
			throw new Error(
				`step "${name}" failed: ${(error as Error).message}\n(the page as it was: ${path.relative(ROOT, seen)})`,
			);
		}
	};
	await step('block', () => blockShots(page, baseUrl, shots));
	await step('list', () =>
		outputShot(page, baseUrl, shots, WF.list, {
			file: 'list-output.png',
			caption: 'List with Return All: one item per blocked user, with its block reason',
			expect: '919888800003',
			mustShow: ['3 items'],
		}),
	);
	await step('check', () =>
		outputShot(page, baseUrl, shots, WF.check, {
			file: 'check-output.png',
			caption:
				'Check in the campaign example: the Not Blocked output holds the two recipients the campaign may go to; the tabs count 1 Blocked and 1 Failed',
			index: 1,
			expect: '+919777700100',
			mustShow: [
				'Blocked Branch (1 item)',
				'Not Blocked Branch (2 items)',
				'Failed Branch (1 item)',
			],
		}),
	);
	await step('sync', () =>
		outputShot(page, baseUrl, shots, WF.sync, {
			file: 'sync-dry-run.png',
			caption:
				'Sync with Unblock Others and Dry Run on: the Failed output holds the typo n/a and, since it may be one of them, the listed users who are not unblocked (UNBLOCK_WITHHELD)',
			index: 2,
			expect: 'UNBLOCK_WITHHELD',
			mustShow: [
				'INVALID_NUMBER',
				/Failed Branch \(\d+ items\)/,
				ndv(page).locator('[data-test-id=parameter-input-dryRun]'),
				ndv(page).locator('[data-test-id=parameter-input-unblockOthers]'),
			],
			withParameters: true,
		}),
	);
	await step('trigger', () => triggerShots(page, baseUrl, shots));
	return shots.taken;
}

/** The wanted port if free on 127.0.0.1, else a free one. */
function portOr(wanted: number): Promise<number> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => void freePort().then(resolve));
		srv.listen(wanted, '127.0.0.1', () => srv.close(() => resolve(wanted)));
	});
}

export const STEPS = ['block', 'list', 'check', 'sync', 'trigger'];

function parseArgs(argv: string[]): { outDir: string; only: string[] } {
	let outDir = DEFAULT_OUT;
	const only: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--out') outDir = path.resolve(argv[++i] ?? '');
		else if (argv[i] === '--only') {
			const names = (argv[++i] ?? '').split(',');
			const unknown = names.filter((n) => !STEPS.includes(n));
			if (unknown.length > 0)
				throw new Error(`--only: unknown step ${unknown.join(', ')} (steps: ${STEPS.join(', ')})`);
			only.push(...names);
		} else if (argv[i] === '--help' || argv[i] === '-h') {
			console.log(`usage: npm run screenshots -- [--out docs/images] [--only ${STEPS.join(',')}]`);
			process.exit(0);
		} else throw new Error(`unknown option ${argv[i]}`);
	}
	return { outDir, only };
}

async function main(): Promise<void> {
	const started = Date.now();
	const { outDir, only } = parseArgs(process.argv.slice(2));
	const executablePath = chromiumPath();
	fs.mkdirSync(outDir, { recursive: true });

	say('building and packing the package ...');
	const tgz = buildAndPack({ quiet: true });
	ensureN8n();

	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	let browser: Browser | undefined;
	const userFolder = makeTempDir('run-', path.join(ROOT, '.cache', 'screenshots'));
	let ok = false;
	try {
		sandbox = await startSandbox({
			port: await portOr(SANDBOX_PORT),
			phoneNumberIds: [dev.SANDBOX_PHONE_NUMBER_ID],
		});
		sandbox.setBlocklist(dev.SANDBOX_PHONE_NUMBER_ID, dev.SEED_BLOCKED);
		n8n = await dev.prepareDevInstance({
			userFolder,
			port: await freePort(),
			sandbox: {
				url: sandbox.url,
				apiKey: sandbox.apiKey,
				phoneNumberId: dev.SANDBOX_PHONE_NUMBER_ID,
			},
			tgz,
			say,
		});
		const { owner, ownerKnown } = await dev.startDevServer(n8n, { say });
		if (!ownerKnown) throw new Error(`could not sign in as ${owner.email} in the new n8n`);

		browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
		const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		page.setDefaultTimeout(60_000);
		// Toasts ("Workflow executed successfully") would cover the panels.
		await page.addInitScript({
			content: `document.addEventListener('DOMContentLoaded', () => {
				const style = document.createElement('style');
				style.textContent = '.el-notification { display: none !important; }';
				document.head.appendChild(style);
			});`,
		});
		say(`signing in to ${n8n.baseUrl} in ${executablePath}`);
		await signIn(page, n8n.baseUrl, owner);
		const sb = sandbox;
		const taken = await takeScreenshots(
			page,
			n8n.baseUrl,
			outDir,
			() => sb.setBlocklist(dev.SANDBOX_PHONE_NUMBER_ID, dev.SEED_BLOCKED),
			only,
		);
		ok = true;
		say(
			`${taken.length} screenshots in ${path.relative(ROOT, outDir) || '.'}/ in ${((Date.now() - started) / 1000).toFixed(0)} s`,
		);
	} finally {
		await browser?.close().catch(() => undefined);
		await n8n?.stop();
		await sandbox?.close();
		if (ok) fs.rmSync(userFolder, { recursive: true, force: true });
		else say(`kept ${path.relative(ROOT, userFolder)}/ (n8n.log inside)`);
	}
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
