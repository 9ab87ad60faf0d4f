'use strict';

/** An error answered in ServiceStack's ErrorResponse shape. */
class ApiError extends Error {
	constructor(status, errorCode, message, fieldErrors = [], headers = {}) {
		super(message);
		this.status = status;
		this.errorCode = errorCode;
		this.fieldErrors = fieldErrors;
		this.headers = headers;
	}
}

function spacedName(fieldName) {
	const words = fieldName.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** FluentValidation-style failure, e.g. errorCode NotEmpty, message "'Pos Codes' must not be empty." */
function validationError(failures) {
	const first = failures[0];
	return new ApiError(400, first.errorCode, first.message, failures);
}

function notEmpty(fieldName) {
	return { errorCode: 'NotEmpty', fieldName, message: `'${spacedName(fieldName)}' must not be empty.` };
}

function serializationError(contractName, fieldName, detail) {
	return new ApiError(400, 'SerializationException', `Could not deserialize request into ${contractName}: ${detail}`, [
		{ errorCode: 'SerializationException', fieldName, message: detail },
	]);
}

const unauthorized = (message) =>
	new ApiError(401, 'Unauthorized', message, [], { 'WWW-Authenticate': 'Basic realm="/auth/basic"' });
const tokenError = (message) => new ApiError(401, 'TokenException', message);
const forbidden = (message) => new ApiError(403, 'Forbidden', message);
const notFound = (message) => new ApiError(404, 'NotFound', message);

function errorResponseBody(error) {
	return {
		responseStatus: {
			errorCode: error.errorCode,
			message: error.message,
			errors: error.fieldErrors.map(({ errorCode, fieldName, message }) => ({ errorCode, fieldName, message })),
		},
	};
}

module.exports = { ApiError, validationError, notEmpty, serializationError, unauthorized, tokenError, forbidden, notFound, errorResponseBody };
