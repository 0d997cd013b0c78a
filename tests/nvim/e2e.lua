-- Driven by tests/test_neovim_e2e.py: `nvim --headless -u NONE -i NONE -n +"luafile e2e.lua" </dev/null`.
-- Works on Neovim 0.7 and later. Starts Ariadne the way docs/neovim.md tells users to, per
-- ARIADNE_E2E_MODE: "config" (0.11+: lsp/ariadne.lua in stdpath('config') + vim.lsp.config with
-- init_options + vim.lsp.enable), "settings" (the same with `settings = { ariadne = ... }`),
-- "legacy" (the docs' init.lua snippet for 0.7-0.10, run as written). With ARIADNE_E2E_OTHER=1 a
-- second server ("mainls") attaches too, as a user's main language server would. Then it opens a
-- Python file, waits until the code lenses Neovim itself shows are filled in, asks for lenses,
-- hovers, the `K` and `gK` floats and ariadne.stats, and writes what it saw as JSON to
-- ARIADNE_E2E_OUT. Exits with :cquit on any error, so a failure never waits for a timeout.

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

local function buf_clients(bufnr)
  return vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function ariadne_client(bufnr)
  for _, client in ipairs(buf_clients(bufnr)) do
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
  if env.ARIADNE_E2E_MODE == 'settings' then
    -- docs/neovim.md, Settings: `settings = { ariadne = {...} }` instead of init_options.
    vim.lsp.config('ariadne', {
      cmd = { env.ARIADNE_E2E_CMD },
      settings = { ariadne = { baseUrl = env.ARIADNE_E2E_BASE_URL, model = 'fake-model' } },
    })
    vim.lsp.enable('ariadne')
  elseif env.ARIADNE_E2E_MODE == 'config' then
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

-- Another language server on the same buffers, as users have (pyright, gopls, ...): a second
-- ariadne-lsp with the offline summariser and no lenses, named "mainls", started generically.
local function start_main_server()
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'python',
    callback = function(args)
      local config = {
        name = 'mainls',
        cmd = { env.ARIADNE_E2E_CMD },
        root_dir = vim.fn.getcwd(),
        init_options = { backend = 'offline', codeLens = false },
      }
      if vim.lsp.start then
        vim.lsp.start(config, { bufnr = args.buf })
      else
        vim.lsp.buf_attach_client(args.buf, vim.lsp.start_client(config))
      end
    end,
  })
end

local function main()
  note('start ' .. out.nvim .. ' ' .. out.mode)
  if env.ARIADNE_E2E_OTHER == '1' then
    start_main_server()
  end
  setup()
  vim.cmd('edit ' .. vim.fn.fnameescape(env.ARIADNE_E2E_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python' -- -u NONE: no filetype detection; this fires FileType

  local expected_clients = env.ARIADNE_E2E_OTHER == '1' and 2 or 1
  local client
  if not vim.wait(TIMEOUT, function()
    local all = buf_clients(bufnr)
    if #all ~= expected_clients then
      return false
    end
    for _, c in ipairs(all) do
      if next(c.server_capabilities or {}) == nil then
        return false -- not initialised yet
      end
    end
    client = ariadne_client(bufnr)
    return client ~= nil
  end, 20) then
    error('the clients did not attach and initialise')
  end
  note('attached, client ' .. client.id)
  out.clients = {}
  for _, c in ipairs(buf_clients(bufnr)) do
    table.insert(out.clients, c.name)
  end
  table.sort(out.clients)

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

  -- What `K` (vim.lsp.buf.hover) shows, then the docs' `gK` mapping (Ariadne's hover only):
  -- the text of the floating window each opens. Recorded as open_floating_preview returns, since
  -- a float may close again at once (it closes on CursorMoved).
  local floats = {}
  local open_floating_preview = vim.lsp.util.open_floating_preview
  vim.lsp.util.open_floating_preview = function(contents, syntax, opts)
    local float_buf, float_win = open_floating_preview(contents, syntax, opts)
    local text = table.concat(vim.api.nvim_buf_get_lines(float_buf, 0, -1, false), '\n')
    table.insert(floats, { focus_id = opts and opts.focus_id, text = text })
    return float_buf, float_win
  end
  --- Text of the first float opened with focus_id, once `calls` floats with it were asked for.
  local function float_text(focus_id, calls)
    local text = vim.NIL
    vim.wait(TIMEOUT, function()
      local seen = 0
      for _, float in ipairs(floats) do
        if float.focus_id == focus_id then
          text = seen == 0 and float.text or text
          seen = seen + 1
        end
      end
      return seen >= calls
    end, 20)
    return text
  end
  local function close_floats()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        vim.api.nvim_win_close(win, true)
      end
    end
    vim.api.nvim_set_current_win(vim.fn.bufwinid(bufnr))
  end
  local targets = json_decode(env.ARIADNE_E2E_HOVERS)
  vim.api.nvim_win_set_cursor(0, { targets[1].line + 1, targets[1].character })
  vim.lsp.buf.hover()
  -- 0.11+ merges every client's answer into one float; before, each answer is handled on its
  -- own (the first opens the float, a later one moves the cursor into it): wait for them all.
  local answers = vim.fn.has('nvim-0.11') == 1 and 1 or #buf_clients(bufnr)
  out.hover_float = float_text('textDocument/hover', answers)
  note('K float ' .. (out.hover_float == vim.NIL and 'missing' or 'shown'))
  close_floats()

  dofile(env.ARIADNE_E2E_GK_SNIPPET)
  vim.api.nvim_win_set_cursor(0, { targets[2].line + 1, targets[2].character })
  if vim.fn.maparg('gK', 'n') == '' then
    error('the docs snippet did not map gK')
  end
  vim.cmd('normal gK') -- runs the mapping, as typing gK would
  out.gk_float = float_text('ariadne', 1)
  note('gK float ' .. (out.gk_float == vim.NIL and 'missing' or 'shown'))

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
