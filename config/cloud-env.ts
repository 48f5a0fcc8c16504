/** CloudBase environment ids are the environment's name plus a random suffix: letters, digits, `-` and `_`. */
const ENV_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The cloud environment the mini-program calls. A cloud build must name it: `wx.cloud.init`
 * without `env` silently picks whichever environment is the account's default, which is how a
 * build meant for production ends up talking to a test database. The local demo build (the
 * sign-in page, `SIDEKICK_DEMO=1`) never reaches a cloud and needs none; H5 calls the functions
 * over HTTP access and does not use it.
 */
export function cloudEnvId(env: Record<string, string | undefined>, platform: string): string {
  const id = env.CLOUD_ENV_ID?.trim() ?? '';
  if (platform !== 'weapp' || env.SIDEKICK_DEMO === '1') return id;
  if (!id) {
    throw new Error(
      'CLOUD_ENV_ID is not set. A mini-program build for the cloud must name its CloudBase environment, ' +
        'e.g. `CLOUD_ENV_ID=sidekick-prod-1a2b3c npm run build:weapp` (the id is shown in the cloud console). ' +
        'For the local demo build use SIDEKICK_DEMO=1 instead.',
    );
  }
  if (!ENV_ID.test(id)) throw new Error(`CLOUD_ENV_ID "${id}" is not a CloudBase environment id (letters, digits, - and _).`);
  return id;
}
