import type { RunningSandbox } from '../sandbox';

/**
 * Lets every task finish on the sandbox clock, then waits until the sandbox has written the files
 * (it writes them in the background), so every task reads COM or ERR.
 */
export async function finishSandboxTasks(sandbox: RunningSandbox): Promise<void> {
	sandbox.state.advanceClock(sandbox.state.config.exportDurationMs + 1000);
	for (let attempt = 0; attempt < 500; attempt++) {
		const views = [...sandbox.state.tasks.keys()].map((id) => sandbox.state.taskView(id));
		if (views.every((view) => view && (view.status === 'COM' || view.status === 'ERR'))) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error('The sandbox did not finish its tasks');
}
