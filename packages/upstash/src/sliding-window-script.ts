/**
 * The one Lua script both stores run: every check and every take (or add) in a single atomic step on
 * the server, the same weighted sliding-window log as core's MemoryBudgetStore. Each key is a list of
 * its entries in the window, oldest first, as pairs `time, cost` (numbers only: no identifier is ever
 * stored), expiring a window after its newest entry. A call reads the key's whole list: its cost grows
 * with the entries in the window (at most `limit` for keys only taken from, one per `add` otherwise).
 *
 * As in the memory store: a clock stepping back stands still; a limit below 1 or a cost above the
 * limit never fits (fail closed); a probe (cost 0) needs one unit free.
 *
 * KEYS: the prefixed budget keys. ARGV[1]: the time in ms, or '' for the server's TIME (one clock for
 * every instance). ARGV[2]: 'take' or 'add'. ARGV[3i], ARGV[3i+1], ARGV[3i+2]: limit (ignored by
 * 'add'), windowMs and cost of KEYS[i].
 * Returns { allowed (0/1), retryAfterMs, refusedBy (1-based, 0 when allowed), remaining... }.
 */
export const SLIDING_WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local adding = ARGV[2] == 'add'
local n = #KEYS
local nows, expired, used, waits = {}, {}, {}, {}
local refusedBy, retry = 0, 0
for i = 1, n do
  local limit, windowMs, cost = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local log = redis.call('LRANGE', KEYS[i], 0, -1)
  local t = now
  local last = tonumber(log[#log - 1])
  if last and last > t then t = last end
  nows[i] = t
  local first = 1
  while first < #log and tonumber(log[first]) <= t - windowMs do first = first + 2 end
  expired[i] = first - 1
  local u = 0
  for j = first, #log - 1, 2 do u = u + tonumber(log[j + 1]) end
  used[i] = u
  local wait = 0
  if not adding then
    if limit < 1 or cost > limit then
      wait = windowMs
    else
      local excess = u + math.max(cost, 1) - limit
      if excess > 0 then
        wait = windowMs
        local j = first
        while j < #log do
          excess = excess - tonumber(log[j + 1])
          if excess <= 0 then
            wait = tonumber(log[j]) + windowMs - t
            break
          end
          j = j + 2
        end
      end
    end
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
    local r = 0
    if waits[i] == 0 then r = math.max(0, tonumber(ARGV[3 * i]) - used[i]) end
    reply[3 + i] = r
  end
  return reply
end
reply = { 1, 0, 0 }
for i = 1, n do
  local limit, windowMs, cost = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  if expired[i] > 0 then redis.call('LTRIM', KEYS[i], expired[i], -1) end
  if cost > 0 then
    redis.call('RPUSH', KEYS[i], nows[i], cost)
    redis.call('PEXPIRE', KEYS[i], windowMs)
  end
  reply[3 + i] = math.max(0, limit - used[i] - cost)
end
return reply
`;
