'use strict';
// n8n loads the package through the `n8n` section of package.json; this entry point lets other code
// require the built node and credential classes directly.
module.exports = {
	get Booster() {
		return require('./dist/nodes/Booster/Booster.node.js').Booster;
	},
	get BoosterTrigger() {
		return require('./dist/nodes/BoosterTrigger/BoosterTrigger.node.js').BoosterTrigger;
	},
	get BoosterApi() {
		return require('./dist/credentials/BoosterApi.credentials.js').BoosterApi;
	},
};
