/** The API answered with something that is not a well-formed response of the expected kind. */
export class ResponseFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ResponseFormatError';
	}
}
