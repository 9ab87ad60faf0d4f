import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customer: 'export' | 'getKpi';
	task: 'get' | 'getMany' | 'downloadFile';
};

export type BoosterType = AllEntities<NodeMap>;
