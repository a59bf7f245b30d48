import { bearerToken, reportUnauthorized } from './client';
import { ApiProblem, problemFrom } from './problem';

/**
 * Saves a CSV the API answers as a file named `filename`. The typed client reads JSON only, and a
 * plain link would not carry the token: fetched with it, then handed to the browser as a download.
 */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const token = bearerToken();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiProblem(0, 'Offline', 'The server cannot be reached.');
  }
  if (response.status === 401) reportUnauthorized();
  if (!response.ok) throw problemFrom(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // Revoked once the browser has taken the download, not while it is starting it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
