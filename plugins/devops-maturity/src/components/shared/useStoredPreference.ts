import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  alertApiRef,
  StorageApi,
  storageApiRef,
  useApi,
} from '@backstage/core-plugin-api';

/** What the storage API can keep: JSON. */
type JsonValue = Parameters<StorageApi['set']>[1];

/**
 * A view preference of the signed-in user (hidden columns, dense rows), kept through
 * Backstage's storage API: in the browser by default, on the user-settings backend where an
 * app installs it, so it follows the user to other browsers.
 */
export function useStoredPreference<T extends JsonValue>(
  key: string,
  fallback: T,
): [T, (value: T) => void] {
  const storage = useApi(storageApiRef);
  const alertApi = useApi(alertApiRef);
  const bucket = useMemo(() => storage.forBucket('devops-maturity'), [storage]);
  const [value, setValue] = useState<T>(() => {
    const stored = bucket.snapshot<T>(key);
    return stored.presence === 'present' && stored.value !== undefined
      ? stored.value
      : fallback;
  });
  // A backend-kept setting may arrive after the first render.
  useEffect(() => {
    const subscription = bucket.observe$<T>(key).subscribe(stored => {
      if (stored.presence === 'present' && stored.value !== undefined)
        setValue(stored.value);
    });
    return () => subscription.unsubscribe();
  }, [bucket, key]);
  const update = useCallback(
    (next: T) => {
      setValue(next);
      // The view changes either way; only keeping it for next time failed.
      bucket.set(key, next).catch(e =>
        alertApi.post({
          message: `Could not keep this view setting: ${e.message}`,
          severity: 'warning',
          display: 'transient',
        }),
      );
    },
    [bucket, key, alertApi],
  );
  return [value, update];
}
