/**
 * The one Lua script both stores run: every check and every take in a single atomic step on the
 * server, the same sliding-window log as core's MemoryBudgetStore. Each key is a list of its last
 * `limit` allowed times (oldest first), expiring a window after its newest entry.
 *
 * KEYS: the prefixed budget keys. ARGV[1]: the time in ms, or '' for the server's TIME (one clock for
 * every instance). ARGV[2i], ARGV[2i+1]: limit and windowMs of KEYS[i].
 * Returns { allowed (0/1), retryAfterMs, refusedBy (1-based, 0 when allowed), remaining... }.
 */
export const SLIDING_WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local n = #KEYS
local nows, waits, counted = {}, {}, {}
local refusedBy, retry = 0, 0
for i = 1, n do
  local limit, windowMs = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local times = redis.call('LRANGE', KEYS[i], 0, -1)
  local t = now
  local last = tonumber(times[#times])
  if last and last > t then t = last end -- a clock stepping back stands still
  nows[i] = t
  local c = 0
  for j = 1, #times do
    if tonumber(times[j]) > t - windowMs then c = c + 1 end
  end
  counted[i] = c
  local wait = 0
  if limit < 1 then
    wait = windowMs
  elseif #times >= limit then
    local oldest = tonumber(times[#times - limit + 1])
    if oldest > t - windowMs then wait = oldest + windowMs - t end
  end
  waits[i] = wait
  if wait > 0 then
    if refusedBy == 0 then refusedBy = i end
    if wait > retry then retry = wait end
  end
end
local reply = {}
if refusedBy > 0 then
  reply = { 0, retry, refusedBy }
  for i = 1, n do
    local limit = tonumber(ARGV[2 * i])
    if waits[i] > 0 then reply[3 + i] = 0 else reply[3 + i] = limit - counted[i] end
  end
  return reply
end
reply = { 1, 0, 0 }
for i = 1, n do
  local limit, windowMs = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('RPUSH', KEYS[i], nows[i])
  redis.call('LTRIM', KEYS[i], -limit, -1)
  redis.call('PEXPIRE', KEYS[i], windowMs)
  local trimmed = counted[i] + 1
  if trimmed > limit then trimmed = limit end
  reply[3 + i] = limit - trimmed
end
return reply
`;
