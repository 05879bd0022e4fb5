/* Label keys and values as k8s.io/apimachinery/pkg/util/validation checks them. */

const NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const NAME_RULE =
  "must be 63 characters or less and consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";

/** Why `key` is not a label key (`[prefix/]name`), or undefined if it is. */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) {
    return 'a label key is a name with an optional DNS subdomain prefix and one "/"';
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (!prefix || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return 'the prefix must be a lowercase RFC 1123 subdomain of at most 253 characters';
    }
  }
  if (!name || name.length > 63 || !NAME.test(name)) {
    return `the name part ${NAME_RULE}`;
  }
  return undefined;
}

/** Why `value` is not a label value, or undefined if it is. */
export function validateLabelValue(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) {
    return undefined;
  }
  return `a label value must be empty or ${NAME_RULE}`;
}

// Kubernetes compares `>`/`<` values as Go int64 (strconv.ParseInt).
const INT64 = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function parseInt64(value: string): bigint | undefined {
  if (!INT64.test(value)) return undefined;
  const n = BigInt(value);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}
