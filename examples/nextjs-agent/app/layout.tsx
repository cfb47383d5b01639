import type { Metadata } from 'next';
import Link from 'next/link';
import { currentSession } from '@/lib/current-session';
import { signOut } from './actions';
import './globals.css';

export const metadata: Metadata = { title: 'OrmAI support agent', description: 'A support agent over a multi-tenant shop, guarded by OrmAI.' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <strong>OrmAI support agent</strong>
          {session && (
            <>
              <nav>
                <Link href="/">Chat</Link>
                <Link href="/approvals">Approvals</Link>
                <Link href="/audit">Audit</Link>
              </nav>
              <form action={signOut} className="who">
                <span data-testid="signed-in-as">
                  {session.user.name} · {session.user.tenantName} · {session.user.roles.join(', ')}
                </span>
                <button type="submit">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
