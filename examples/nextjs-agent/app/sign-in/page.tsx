import { DEMO_USERS } from '@/lib/demo-users';
import { signIn } from '../actions';

export default function SignInPage() {
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>A demo sign-in: pick someone. The server puts their tenant and roles in a signed, httpOnly session cookie; the agent never chooses them.</p>
      <div className="users">
        {DEMO_USERS.map((user) => (
          <form key={user.id} action={signIn}>
            <input type="hidden" name="userId" value={user.id} />
            <button type="submit" data-testid={`sign-in-${user.id}`}>
              <strong>{user.name}</strong>
              <span>{user.tenantName}</span>
              <span>{user.roles.join(', ')}</span>
            </button>
          </form>
        ))}
      </div>
    </section>
  );
}
