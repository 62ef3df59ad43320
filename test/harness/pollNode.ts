/**
 * Polls the WhatsApp Blocklist Trigger the way n8n does: n8n-core's real PollContext, run by
 * n8n-core's TriggersAndPollers, with n8n-core's request helper, over a workflow that lives
 * between polls as it does in n8n's memory (its static data a live object). n8n saves the
 * static data to its database after the activation poll and after each poll that emitted
 * (../shared/notes/n8n-runtime.md); an activation whose poll fails leaves the workflow
 * inactive, so until a poll succeeds each one counts as the activation here. `restart()`
 * stands for n8n starting again from what it saved. Only the host pieces of n8n's server are stood in for (runNode.ts).
 */
import { PollContext, TriggersAndPollers } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { WhatsAppBlocklistTrigger } from '../../nodes/WhatsApp/WhatsAppBlocklistTrigger.node';
import { TestNodeTypes, testAdditionalData } from './runNode';

export const TRIGGER_TYPE = 'n8n-nodes-splashify.whatsAppBlocklistTrigger';
export const TRIGGER_NAME = 'WhatsApp Blocklist Trigger';

export interface PollResult {
	/** The JSON of the items the poll emitted, or null when it returned null. */
	items: IDataObject[] | null;
	/** What the poll threw (n8n shows it as a failed trigger run). */
	error?: Error & { description?: string | null };
}

export interface PollOptions {
	/** 'manual' is the editor's "Fetch Test Event". */
	mode?: WorkflowExecuteMode;
	/** The durable scheduler's time budget for one poll. */
	budgetMs?: number;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class TriggerHarness {
	readonly node: INode;
	private workflow: Workflow;
	/** The workflow's static data as n8n's database holds it. */
	private saved: IDataObject = {};
	/** Whether a poll has succeeded: until then each poll is an activation (n8n retries it). */
	private activated = false;

	constructor(
		parameters: IDataObject,
		private readonly credentials: ICredentialDataDecryptedObject,
	) {
		this.node = {
			id: 'b0c1d2e3-0000-4000-8000-0000000000aa',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			credentials: { splashifyApi: { id: '1', name: 'Splashify sandbox' } },
		};
		this.workflow = this.newWorkflow({});
	}

	private newWorkflow(staticData: IDataObject): Workflow {
		return new Workflow({
			id: 'trigger-test',
			nodes: [this.node],
			connections: {},
			nodeTypes: new TestNodeTypes(new WhatsAppBlocklistTrigger()),
			active: true,
			settings: {},
			staticData,
		});
	}

	/** The trigger's static data as it is in memory now. */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** The trigger's static data as n8n last saved it. */
	get savedStaticData(): IDataObject | undefined {
		return (this.saved[`node:${TRIGGER_NAME}`] as IDataObject | undefined) ?? undefined;
	}

	/** n8n starts again: the workflow comes back with the static data it saved. */
	restart(): void {
		this.workflow = this.newWorkflow(clone(this.saved));
	}

	/** One poll, as a Poll Times tick (or a manual fetch) runs it. */
	async poll({ mode = 'trigger', budgetMs }: PollOptions = {}): Promise<PollResult> {
		const ctx = new PollContext(
			this.workflow,
			this.node,
			testAdditionalData(this.credentials),
			mode,
			'activate',
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			budgetMs === undefined ? undefined : () => budgetMs,
		);
		try {
			const output = await new TriggersAndPollers().runPollFunction(this.workflow, this.node, ctx);
			const items = output === null ? null : (output[0] ?? []).map((item) => item.json);
			if (mode !== 'manual' && (!this.activated || items !== null))
				this.saved = clone(this.workflow.staticData);
			if (mode !== 'manual') this.activated = true;
			return { items };
		} catch (error) {
			return { items: null, error: error as PollResult['error'] };
		}
	}
}
