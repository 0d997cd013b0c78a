-- Ariadne: LLM summaries of functions, methods and classes, on hover and as code lenses.
--
-- Neovim 0.11+: copy this file to ~/.config/nvim/lsp/ariadne.lua and add to init.lua
--
--     vim.lsp.enable('ariadne')
--
-- Settings go in init_options (camelCase, see docs/neovim.md). Override them without editing
-- this file, e.g.
--
--     vim.lsp.config('ariadne', {
--       init_options = { baseUrl = 'http://127.0.0.1:11434/v1', model = 'qwen2.5-coder' },
--     })
--
-- Neovim 0.7-0.10 can use this file too: it returns a plain client config (docs/neovim.md,
-- "Older Neovim").

-- Newer Neovim builds have vim.lsp.codelens.enable(), which keeps lenses up to date by itself.
-- Older ones (0.7 up to at least 0.12.0-dev-fbb1caf) only fetch lenses when asked, and do not
-- announce workspace/codeLens/refresh support, so Ariadne could not tell them that summaries
-- have landed: announce it here, handle the request, and refresh on a few autocmds as well.
local auto_lenses = vim.lsp.codelens.enable ~= nil

local function refresh_lenses(bufnr)
  if vim.fn.has('nvim-0.10') == 1 then
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  elseif bufnr == vim.api.nvim_get_current_buf() then
    vim.lsp.codelens.refresh() -- 0.7-0.9 refresh the current buffer only
  end
end

local capabilities, handlers = nil, nil
if not auto_lenses then
  capabilities = { workspace = { codeLens = { refreshSupport = true } } }
  if not vim.lsp.config then
    -- Before 0.11 a client's `capabilities` replace the defaults instead of extending them.
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), capabilities)
  end
  handlers = {
    ['workspace/codeLens/refresh'] = function(_, _, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      for bufnr in pairs(client and client.attached_buffers or {}) do
        refresh_lenses(bufnr)
      end
      return vim.NIL
    end,
  }
end

return {
  name = 'ariadne',
  cmd = { 'ariadne-lsp' },
  filetypes = {
    'python',
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
    'go',
    'rust',
    'java',
    'c',
    'cpp',
  },
  -- Ariadne needs no project root: with no marker found it serves the file alone.
  root_markers = { '.git', 'pyproject.toml', 'setup.py', 'package.json', 'go.mod', 'Cargo.toml', 'pom.xml' },
  -- Empty: the built-in offline summariser (docstrings, comments, signatures), or the OpenAI API
  -- when OPENAI_API_KEY is set in Neovim's environment.
  init_options = {},
  capabilities = capabilities,
  handlers = handlers,
  on_attach = function(_, bufnr)
    if auto_lenses then
      vim.lsp.codelens.enable(true, { bufnr = bufnr })
      return
    end
    refresh_lenses(bufnr)
    vim.api.nvim_create_autocmd({ 'BufEnter', 'CursorHold', 'InsertLeave' }, {
      group = vim.api.nvim_create_augroup('ariadne_codelens_' .. bufnr, { clear = true }),
      buffer = bufnr,
      callback = function()
        refresh_lenses(bufnr)
      end,
    })
  end,
}
