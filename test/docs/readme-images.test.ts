/**
 * The README's pictures (docs/images/, taken by `npm run screenshots`) cannot rot: every image
 * the README shows exists, is a PNG, has alt text and stays under 200 KB, and every PNG in
 * docs/images/ is shown somewhere.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const IMAGES = path.join(ROOT, 'docs', 'images');
const MAX_BYTES = 200 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Markdown images `![alt](src)` and HTML `<img src="...">` of a document. */
function imagesOf(markdown: string): Array<{ alt: string; src: string }> {
	const found: Array<{ alt: string; src: string }> = [];
	for (const m of markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
		found.push({ alt: m[1], src: m[2] });
	for (const m of markdown.matchAll(/<img\b[^>]*>/gi)) {
		const src = /\bsrc="([^"]+)"/i.exec(m[0])?.[1] ?? '';
		const alt = /\balt="([^"]*)"/i.exec(m[0])?.[1] ?? '';
		found.push({ alt, src });
	}
	return found;
}

describe('README images', () => {
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const images = imagesOf(readme);

	test('the README shows screenshots from docs/images/', () => {
		expect(images.filter((i) => i.src.startsWith('docs/images/')).length).toBeGreaterThanOrEqual(3);
	});

	test.each(images.map((i) => [i.src, i] as const))(
		'%s exists, is a PNG under 200 KB, with alt text',
		(src, image) => {
			expect(src).toMatch(/^docs\/images\/[a-z0-9-]+\.png$/);
			const file = path.join(ROOT, src);
			expect(fs.existsSync(file)).toBe(true);
			expect(fs.statSync(file).size).toBeLessThan(MAX_BYTES);
			expect(fs.readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
			expect(image.alt.trim().length).toBeGreaterThan(20);
		},
	);

	test('every PNG in docs/images/ is shown in the README', () => {
		const shown = new Set(images.map((i) => i.src));
		const files = fs.readdirSync(IMAGES).filter((f) => f.endsWith('.png'));
		expect(files.filter((f) => !shown.has(`docs/images/${f}`))).toEqual([]);
	});

	test('imagesOf reads Markdown and HTML images', () => {
		expect(
			imagesOf(
				'a ![An alt](docs/images/a.png) b <img src="docs/images/b.png" alt="B" width="400">',
			),
		).toEqual([
			{ alt: 'An alt', src: 'docs/images/a.png' },
			{ alt: 'B', src: 'docs/images/b.png' },
		]);
	});
});
