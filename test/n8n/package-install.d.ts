import type { Log } from './toolchain';
export interface InstalledPackage {
	packageDir: string;
	name: string;
	version: string;
	nodeTypes: string[];
	credentialTypes: string[];
}
export function needsBuild(packageDir?: string): boolean;
export function buildPackage(options?: { packageDir?: string; force?: boolean; log?: Log }): void;
export function packPackage(options?: { packageDir?: string; destDir?: string }): { tarball: string; name: string; version: string; files: string[] };
export function installTarball(options: { tarball: string; userFolder: string; log?: Log }): InstalledPackage;
export function installPackage(options: {
	userFolder: string;
	packageDir?: string;
	build?: boolean | 'auto';
	tarball?: string;
	log?: Log;
}): InstalledPackage;
