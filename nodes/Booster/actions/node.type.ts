import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customer: 'export' | 'get' | 'getKpi' | 'search' | 'updateConsents';
	pointOfSale: 'getMany';
	task: 'get' | 'getMany' | 'downloadFile';
};

export type BoosterType = AllEntities<NodeMap>;
