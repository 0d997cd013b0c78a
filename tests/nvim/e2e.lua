-- Driven by tests/test_neovim_e2e.py: `nvim --headless -u NONE -i NONE -n +"luafile e2e.lua" </dev/null`.
-- Works on Neovim 0.7 and later. Starts Ariadne the way docs/neovim.md tells users to
-- (ARIADNE_E2E_MODE = "config": vim.lsp.config + vim.lsp.enable with lsp/ariadne.lua on the
-- runtimepath; "legacy": the init.lua snippet for Neovim 0.7-0.10, read from the docs), opens a
-- Python file, waits for the lenses Neovim itself shows to fill in, then asks for hovers, lenses
-- and stats, and writes what it saw as JSON to ARIADNE_E2E_OUT. Exits with :cquit on any error.

local env = vim.env
local TIMEOUT = tonumber(env.ARIADNE_E2E_TIMEOUT_MS or '20000')
local out = {
  nvim = (function()
    local v = vim.version()
    return string.format('%d.%d.%d', v.major, v.minor, v.patch)
  end)(),
  mode = env.ARIADNE_E2E_MODE,
  log = {},
}
local json_encode = vim.json and vim.json.encode or vim.fn.json_encode
local json_decode = vim.json and vim.json.decode or vim.fn.json_decode

local function note(msg)
  table.insert(out.log, string.format('%.3f %s', vim.loop.hrtime() / 1e9, msg))
end

local function write_out()
  local f = assert(io.open(env.ARIADNE_E2E_OUT, 'w'))
  f:write(json_encode(out))
  f:close()
end

local function ariadne_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = 'ariadne' })
    or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  for _, client in ipairs(clients) do
    if client.name == 'ariadne' then
      return client
    end
  end
end

--- Send one request to Ariadne only and wait for it; returns result, error.
local function request(bufnr, client, method, params)
  local responses, wait_err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not responses then
    error(method .. ': ' .. tostring(wait_err))
  end
  local response = responses[client.id]
  if not response then
    error(method .. ': no response from ariadne')
  end
  return response.result, response.err or response.error -- `err` on 0.10+, `error` before
end

local function setup()
  if env.ARIADNE_E2E_MODE == 'config' then
    -- docs/neovim.md, Neovim 0.11+: lsp/ariadne.lua is on the runtimepath (in stdpath('config')).
    vim.lsp.config('ariadne', {
      cmd = { env.ARIADNE_E2E_CMD },
      init_options = { baseUrl = env.ARIADNE_E2E_BASE_URL, model = 'fake-model' },
    })
    vim.lsp.enable('ariadne')
  else
    -- docs/neovim.md, Neovim 0.7-0.10: the init.lua snippet, run as it is in the docs (the
    -- test's copy of lsp/ariadne.lua carries the cmd and init_options).
    dofile(env.ARIADNE_E2E_LEGACY_SNIPPET)
  end
end

local function main()
  note('start ' .. out.nvim .. ' ' .. out.mode)
  setup()
  vim.cmd('edit ' .. vim.fn.fnameescape(env.ARIADNE_E2E_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python' -- -u NONE: no filetype detection; this fires FileType

  local client
  if not vim.wait(TIMEOUT, function()
    client = ariadne_client(bufnr)
    return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
      and next(client.server_capabilities or {}) ~= nil
  end, 20) then
    error('ariadne did not attach and initialise')
  end
  note('attached, client ' .. client.id)
  out.clients = {}
  for _, c in ipairs(vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))) do
    table.insert(out.clients, c.name)
  end

  -- What a user sees: the lenses Neovim fetched, resolved and keeps (vim.lsp.codelens.get),
  -- filled in through lsp/ariadne.lua's on_attach refresh and its workspace/codeLens/refresh
  -- handler, with no further request from this script.
  local expected = tonumber(env.ARIADNE_E2E_SYMBOLS)
  local function shown_titles()
    local titles = {}
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr) or {}) do
      table.insert(titles, lens.command and lens.command.title or vim.NIL)
    end
    return titles
  end
  local filled = vim.wait(TIMEOUT, function()
    local titles = shown_titles()
    if #titles < expected then
      return false
    end
    for _, title in ipairs(titles) do
      if title == vim.NIL or not title:find('^Summary of ') then
        return false
      end
    end
    return true
  end, 50)
  out.shown_lenses = shown_titles()
  note('shown lenses ' .. (filled and 'filled' or 'NOT filled'))
  if not filled then
    error('the lenses Neovim shows were not filled in: ' .. json_encode(out.shown_lenses))
  end

  -- The same over the protocol: textDocument/codeLens, then codeLens/resolve for unresolved ones.
  local uri = vim.uri_from_bufnr(bufnr)
  local lenses, err = request(bufnr, client, 'textDocument/codeLens', { textDocument = { uri = uri } })
  if err then
    error('codeLens: ' .. json_encode(err))
  end
  out.lenses = {}
  for _, lens in ipairs(lenses or {}) do
    local resolved = lens
    if not lens.command then
      resolved, err = request(bufnr, client, 'codeLens/resolve', lens)
      if err then
        error('codeLens/resolve: ' .. json_encode(err))
      end
    end
    table.insert(out.lenses, {
      line = lens.range.start.line,
      resolved_by_request = lens.command == nil,
      title = resolved.command and resolved.command.title or vim.NIL,
      command = resolved.command and resolved.command.command or vim.NIL,
    })
  end

  -- Hover, Ariadne's answer only (another server may be attached too).
  out.hovers = {}
  for _, target in ipairs(json_decode(env.ARIADNE_E2E_HOVERS)) do
    local result
    result, err = request(bufnr, client, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = target.line, character = target.character },
    })
    if err then
      error('hover: ' .. json_encode(err))
    end
    local contents = result and result.contents
    out.hovers[target.name] = type(contents) == 'table' and (contents.value or contents[1]) or contents or vim.NIL
  end

  -- What `K` (vim.lsp.buf.hover) shows: the text of the floating window it opens.
  local pos = json_decode(env.ARIADNE_E2E_HOVERS)[1]
  vim.api.nvim_win_set_cursor(0, { pos.line + 1, pos.character })
  vim.lsp.buf.hover()
  local float_lines
  vim.wait(TIMEOUT, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        float_lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
        return true
      end
    end
    return false
  end, 20)
  out.hover_float = float_lines and table.concat(float_lines, '\n') or vim.NIL

  local stats
  stats, err = request(bufnr, client, 'workspace/executeCommand', { command = 'ariadne.stats', arguments = {} })
  if err then
    error('ariadne.stats: ' .. json_encode(err))
  end
  out.stats = stats
  note('done')
end

local ok, failure = xpcall(main, debug.traceback)
if not ok then
  out.error = tostring(failure)
end
local written, write_failure = pcall(write_out)
if not written then
  io.stderr:write('e2e.lua: cannot write results: ' .. tostring(write_failure) .. '\n')
  vim.cmd('cquit 4')
end
if not ok then
  io.stderr:write('e2e.lua: ' .. tostring(failure) .. '\n')
  vim.cmd('cquit 3')
end
vim.cmd('qall!')
