/**
 * Errors the way CloudBase reports them: a string `code` the SDK maps to a numeric errCode
 * (wx-server-sdk `TCB_ERR_CODE`) and a message. The wire reply is `{ code, message, requestId }`.
 */
export type CloudErrorCode =
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'INVALID_PARAM'
  | 'FUNCTIONS_REQUEST_FAIL'
  | 'FUNCTIONS_EXECUTE_FAIL'
  | 'SYS_ERR';

export class CloudError extends Error {
  constructor(
    readonly code: CloudErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CloudError';
  }
}

export const cloudMessages = {
  collectionNotExist: (name: string) =>
    `[ResourceNotFound] Db or Table not exist: ${name}. Please check your request, but if the problem persists, contact us.`,
  collectionExists: (name: string) => `[ResourceExist] Table exist: ${name}.`,
  transactionConflict:
    '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.',
  transactionNotExist: (id: string) =>
    `[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, it may have been aborted or timed out: ${id}.`,
  duplicateKey: (collection: string, id: string) =>
    `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
};
