/**
 * How the central tasks learn about accounts without their task definitions growing with
 * them: an `account-sync` container beside Prometheus (and beside the CloudWatch exporter) keeps task-local
 * copies of the config bucket's account prefixes, which each account's own hub stack
 * (`<env>-hub-<account>`) writes, and fetches each account's ingest token from Secrets Manager
 * by name under the environment's ingest prefix. Pure renderer: a POSIX sh script (run by the
 * AWS CLI image the config loader already uses) and its environment.
 *
 * Why a sync loop and not the alternatives:
 * - one injected variable per account (what the task did before) puts every account in the
 *   task definition (64 KiB: about 340 accounts) and makes a new account a redeploy of the
 *   shared stack;
 * - `secretsmanager:ListSecrets` cannot be scoped to a prefix (its only resource is `*`): the
 *   task could list every secret of the hub account. The bucket's account prefixes say which
 *   accounts exist (s3:ListBucket pinned to the prefix), and the task may read only secrets
 *   named under `observability/<env>/self-hosted/ingest/`;
 * - the proxy calling Secrets Manager itself would mean bundling and signing AWS calls in it;
 *   here it only re-reads a directory (`ingest-proxy/credentials.ts`), which is what the
 *   loopback test can prove with a real process.
 *
 * Per cycle: `aws s3 sync --delete` of each prefix; tokens of accounts that have none yet
 * (every `tokenRefreshCycles` cycles: of all accounts, so a rotated token is picked up), each
 * with the secret's previous version (`AWSPREVIOUS`, `<account>.previous.json`), which the
 * proxy accepts too, so a rotation refuses no collector that still holds the old token; the
 * tokens of an account gone from the bucket are deleted; when a sync changed a file, the
 * `ON_CHANGE` command (Prometheus' or the exporter's reload on the task's loopback). A failed call
 * keeps what the task had and is retried next cycle; the token is never printed.
 */

export const ACCOUNT_SYNC_SCRIPT = [
  "set -u",
  "changed=''",
  "sync_prefixes() {",
  "  changed=''",
  "  for pair in $SYNC_PREFIXES; do",
  '    prefix=${pair%%=*}; directory=${pair#*=}',
  '    mkdir -p "$directory"',
  '    if out=$(aws s3 sync --delete --no-progress "s3://$CONFIG_BUCKET/$prefix" "$directory"); then',
  '      if [ -n "$out" ]; then changed=yes; fi',
  "    else",
  '      echo "account-sync: sync of s3://$CONFIG_BUCKET/$prefix failed; keeping the files the task has" >&2',
  "    fi",
  "  done",
  "}",
  "fetch_tokens() {",
  '  [ -n "${TOKENS_DIRECTORY:-}" ] || return 0',
  '  mkdir -p "$TOKENS_DIRECTORY"',
  '  for account_directory in "$ACCOUNTS_DIRECTORY"/*/; do',
  '    [ -d "$account_directory" ] || continue',
  '    account=$(basename "$account_directory")',
  '    case "$account" in ""|*[!a-z0-9-]*) continue;; esac',
  '    token_file="$TOKENS_DIRECTORY/$account.json"',
  '    if [ "$1" = new ] && [ -f "$token_file" ]; then continue; fi',
  '    if (umask 077 && aws secretsmanager get-secret-value --secret-id "$INGEST_SECRET_PREFIX$account" --query SecretString --output text > "$TOKENS_DIRECTORY/.$account.partial"); then',
  '      mv "$TOKENS_DIRECTORY/.$account.partial" "$token_file"',
  "    else",
  '      rm -f "$TOKENS_DIRECTORY/.$account.partial"',
  '      echo "account-sync: ingest secret of account $account not read; retrying next cycle" >&2',
  "      continue",
  "    fi",
  // The version before the current one stays accepted, so collectors still holding it keep
  // writing after a rotation. None yet (a first version): nothing to accept. Any other failure
  // keeps the file the task has. stderr is read for the error code; the token goes to the file only.
  '    previous_file="$TOKENS_DIRECTORY/$account.previous.json"',
  '    if err=$( (umask 077 && aws secretsmanager get-secret-value --secret-id "$INGEST_SECRET_PREFIX$account" --version-stage AWSPREVIOUS --query SecretString --output text > "$TOKENS_DIRECTORY/.$account.previous.partial") 2>&1 ); then',
  '      mv "$TOKENS_DIRECTORY/.$account.previous.partial" "$previous_file"',
  "    else",
  '      rm -f "$TOKENS_DIRECTORY/.$account.previous.partial"',
  '      case "$err" in *ResourceNotFoundException*) rm -f "$previous_file";; *) echo "account-sync: previous ingest token of account $account not read; keeping what the task has" >&2;; esac',
  "    fi",
  "  done",
  '  for token_file in "$TOKENS_DIRECTORY"/*.json; do',
  '    [ -f "$token_file" ] || continue',
  '    account=$(basename "$token_file" .json)',
  '    account=${account%.previous}',
  '    [ -d "$ACCOUNTS_DIRECTORY/$account" ] || rm -f "$token_file"',
  "  done",
  "}",
  "cycle=0",
  "while :; do",
  "  cycle=$((cycle + 1))",
  "  sync_prefixes",
  '  if [ $(((cycle - 1) % TOKEN_REFRESH_CYCLES)) -eq 0 ]; then fetch_tokens all; else fetch_tokens new; fi',
  '  if [ "$cycle" -eq 1 ] && [ -n "${READY_FILE:-}" ]; then touch "$READY_FILE"; fi',
  '  if [ -n "$changed" ] && [ -n "${ON_CHANGE:-}" ]; then sh -c "$ON_CHANGE" || echo "account-sync: reload after a change failed; retrying after the next change" >&2; fi',
  '  if [ "$SYNC_CYCLES" -ne 0 ] && [ "$cycle" -ge "$SYNC_CYCLES" ]; then exit 0; fi',
  '  sleep "$SYNC_INTERVAL_SECONDS"',
  "done",
].join("\n");

export interface AccountSyncSettings {
  bucketName: string;
  /** Bucket prefix (ending in `/`) -> local directory, each kept identical (deletions included). */
  prefixes: { prefix: string; directory: string }[];
  /** Seconds between cycles: how long a new account waits at most for its rules and token. */
  intervalSeconds: number;
  /** 0: run forever (the sidecar); 1: one pass (the config loader's initial copy). */
  cycles: number;
  /** Shell command after a cycle that changed files, e.g. a reload on the task's loopback. */
  onChange?: string;
  /** Touched after the first cycle: the container's health check, which the proxy waits for. */
  readyFile?: string;
  tokens?: {
    /** Local directory whose sub-directories are the accounts (one of `prefixes`' directories). */
    accountsDirectory: string;
    /** `observability/<env>/self-hosted/ingest/`: the secret of account `a` is named `<prefix>a`. */
    secretNamePrefix: string;
    tokensDirectory: string;
    /** Every this many cycles all tokens are re-read (rotation); otherwise only missing ones. */
    refreshCycles: number;
  };
}

const SAFE = /^[A-Za-z0-9._\/-]+$/;

/** The container's environment for `ACCOUNT_SYNC_SCRIPT`. */
export function accountSyncEnvironment(settings: AccountSyncSettings): Record<string, string> {
  for (const value of [settings.bucketName, ...(settings.readyFile ? [settings.readyFile] : []), ...settings.prefixes.flatMap((p) => [p.prefix, p.directory]), ...(settings.tokens ? [settings.tokens.accountsDirectory, settings.tokens.secretNamePrefix, settings.tokens.tokensDirectory] : [])]) {
    if (!SAFE.test(value)) throw new Error(`account sync: "${value}" is not a safe bucket name, prefix or path (letters, digits, . _ / - only)`);
  }
  for (const { prefix } of settings.prefixes) if (!prefix.endsWith("/")) throw new Error(`account sync: prefix "${prefix}" must end with /`);
  if (settings.tokens && !settings.prefixes.some((p) => p.directory === settings.tokens!.accountsDirectory)) {
    throw new Error(`account sync: the accounts directory ${settings.tokens.accountsDirectory} is not one of the synced directories`);
  }
  return {
    CONFIG_BUCKET: settings.bucketName,
    SYNC_PREFIXES: settings.prefixes.map((p) => `${p.prefix}=${p.directory}`).join(" "),
    SYNC_INTERVAL_SECONDS: String(settings.intervalSeconds),
    SYNC_CYCLES: String(settings.cycles),
    TOKEN_REFRESH_CYCLES: String(settings.tokens?.refreshCycles ?? 1),
    ...(settings.onChange ? { ON_CHANGE: settings.onChange } : {}),
    ...(settings.readyFile ? { READY_FILE: settings.readyFile } : {}),
    ...(settings.tokens ? {
      ACCOUNTS_DIRECTORY: settings.tokens.accountsDirectory,
      INGEST_SECRET_PREFIX: settings.tokens.secretNamePrefix,
      TOKENS_DIRECTORY: settings.tokens.tokensDirectory,
    } : {}),
  };
}

/** Prometheus re-reads its config and rule files (`--web.enable-lifecycle`, on the task's loopback only). */
export function prometheusReloadCommand(address: string): string {
  return `curl -fsS -X POST http://${address}/-/reload`;
}
