import { describe, expect, it } from 'vitest';
import { matchesGlob } from './glob.js';
import { DEFAULT_DEV, DEFAULT_INTERNAL, DEFAULT_PROD, type PolicyProfile } from './profiles.js';

const denied = (profile: PolicyProfile, name: string) => profile.denyFields.some((glob) => matchesGlob(name, glob));
const masked = (profile: PolicyProfile, name: string) => Object.keys(profile.maskFields).some((glob) => matchesGlob(name, glob));

// Secret-looking names a schema author uses without thinking of the deny list.
const SECRET_NAMES = [
  'password', 'passwordHash', 'passwd', 'user_pwd', 'pwdHash', 'passphrase', 'passcode',
  'credentials', 'credential', 'db_credentials',
  'totp_secret', 'otp_seed', 'otp', 'otpCode', 'totp', 'hotp_counter_seed', 'mfaSecret', 'mfa_seed', 'two_factor_secret', 'recovery_codes', 'backupCodes',
  'private_key', 'privateKey', 'PRIVATE-KEY', 'signing_key', 'encryptionKey', 'privkey',
  'sessionToken', 'session_cookie', 'session_id', 'sessionKey', 'session', 'sid', 'authCookie', 'remember_token',
  'ssn', 'customer_ssn', 'ssnLast4', 'social_security_number',
  'iban', 'payoutIban', 'IBAN_NUMBER',
  'cvv', 'cvv2', 'card_cvc', 'cvc', 'card_number', 'cardNumber',
  'pin', 'cardPin', 'pin_code',
  'salt', 'password_salt', 'userSalt',
  'mnemonic', 'seed_phrase',
  'api_key', 'apiKey', 'client_secret', 'access_key', 'aws_access_key_id', 'auth_key', 'authCode',
  // HTTP credentials, as columns or as keys of stored headers and configs
  'Authorization', 'proxy-authorization', 'bearer', 'authBearer', 'jwt', 'id_jwt', 'jwtPayload', 'auth', 'basicAuth', 'smtp_auth',
  'pass', 'db_pass', 'userPass', 'DB_PASS', 'dsn', 'sentry_dsn', 'connection_string', 'connectionString',
  'security_answer', 'securityAnswers', 'secret_answer',
  'cc', 'ccNumber', 'cc_num', 'creditCard',
  // Numbered copies: a trailing number is a word of its own and must not take the name off the list
  'salt2', 'userSalt2', 'user_salt_1', 'sid2', 'session2', 'session_1', 'db_pass2', 'pass1', 'cc2', 'dsn2', 'db_dsn_2',
  'auth2', 'bearer1', 'session_id_2', 'sessionId2', 'credit_card_2', 'cookie2', 'cc_num2',
  // The same names disguised: dots, invisible characters, compatibility forms
  'api.key', 'pass.word', 'pass\u200bword', '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44', 'db\u2060_pass',
];

// Ordinary fields whose names contain a secret word as a substring: they must stay readable.
const ORDINARY_NAMES = [
  'footprint', 'shipping', 'shippingAddress', 'author', 'authorId', 'authority', 'oauthProvider',
  'notes', 'description', 'status', 'options', 'topic', 'topics', 'laptop', 'desktop', 'stopReason', 'hotpink', 'spin', 'pinned', 'pinnedAt', 'opinion', 'spinach',
  'className', 'businessName', 'addressNumber', 'classification', 'lessons',
  'sessionCount', 'sessions', 'lastSessionAt', 'session_duration', 'considered', 'sideEffects',
  'saltContent', 'salt_per_100g', 'basaltColor', 'hashtag', 'contentHash', 'resalted',
  'tibanna', 'ribbon', 'caribbean', 'cvcount', 'account', 'description_html', 'typeId', 'price', 'name', 'city',
  'createdAt', 'placedAt', 'quantity', 'tier', 'loyaltyCode', 'sku', 'subject', 'totalCents', 'cookieFlavor',
  'authType', 'auth_provider', 'authMethod', 'authorName', 'passenger', 'passengerCount', 'compass', 'passport', 'bypass', 'passed', 'pass_count', 'passThrough',
  'security_question', 'securityLevel', 'cc_list', 'accNumber', 'success', 'occupation', 'kidsName', 'creditCardBrand', 'answer',
  // A number does not make an ordinary name secret
  'sessionCount2', 'session2Count', 'passport2', 'author2', 'address2', 'cookieFlavor2',
];

describe('the default deny list', () => {
  it('is shared by the three profiles', () => {
    expect(DEFAULT_INTERNAL.denyFields).toEqual(DEFAULT_PROD.denyFields);
    expect(DEFAULT_DEV.denyFields).toEqual(DEFAULT_PROD.denyFields);
  });

  for (const name of SECRET_NAMES) {
    it(`denies ${name}`, () => expect(denied(DEFAULT_PROD, name)).toBe(true));
  }

  for (const name of ORDINARY_NAMES) {
    it(`keeps ${name} readable`, () => expect(denied(DEFAULT_PROD, name)).toBe(false));
  }

  it('masks emails and phones rather than denying them', () => {
    for (const name of ['email', 'contactEmail', 'phone', 'phone_number']) {
      expect(denied(DEFAULT_PROD, name), name).toBe(false);
      expect(masked(DEFAULT_PROD, name), name).toBe(true);
    }
  });
});
