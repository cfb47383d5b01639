import { useEffect, useState } from 'react';

/** False in the server-rendered HTML and until React has hydrated: controls stay disabled until they work. */
export function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}
