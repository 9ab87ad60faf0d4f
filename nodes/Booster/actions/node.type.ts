import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customer: 'export' | 'getKpi';
};

export type BoosterType = AllEntities<NodeMap>;
