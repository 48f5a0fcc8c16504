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
  transactionNotExist: () =>
    '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.',
  /** What CloudBase's insertDocument answers for a taken `_id` (DATABASE_REQUEST_FAILED, errCode -502001), as seen in live logs. */
  duplicateKey: (collection: string, id: string) =>
    `[FailedOperation.Insert] bulk write error: E11000 duplicate key error collection: ${collection} index: _id_ dup key: { : ${JSON.stringify(id)} }`,
};
