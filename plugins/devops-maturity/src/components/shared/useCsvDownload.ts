import { useCallback } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';

/**
 * A download of CSV the backend answers: fetched on click, saved under `filename`; a failure is
 * told in an alert rather than lost in the console.
 */
export function useCsvDownload() {
  const alertApi = useApi(alertApiRef);
  return useCallback(
    async (fetchCsv: () => Promise<string>, filename: string) => {
      try {
        const csv = await fetchCsv();
        const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
        // Attached while clicked, and the URL kept a moment: some browsers cancel otherwise.
        const a = document.createElement('a');
        a.href = url;
        a.download = filename;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 0);
      } catch (e) {
        alertApi.post({
          message: `CSV export failed: ${(e as Error).message}`,
          severity: 'error',
        });
      }
    },
    [alertApi],
  );
}
