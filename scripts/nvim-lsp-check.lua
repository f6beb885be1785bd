-- A real editor's LSP client against `ctelint server`: run by scripts/nvim-lsp-check.sh as
--   CTELINT_BIN=... CTELINT_FILE=... nvim --headless --clean -c 'luafile scripts/nvim-lsp-check.lua'
-- It opens CTELINT_FILE, starts the server with `vim.lsp.start` (Neovim 0.8+) or
-- `vim.lsp.start_client` (0.7), waits for diagnostics and prints them (code, line, column,
-- message; 1-based line and column, the column in the UTF-16 units the client negotiated), lists
-- the code actions, applies `source.fixAll.ctelint` the way an on-save hook would, prints what
-- remains, then stops the server. Exits non-zero when anything is missing or late.

local timeout = tonumber(os.getenv('CTELINT_TIMEOUT_MS') or '') or 10000

local function say(text)
  io.stdout:write(text .. '\n')
  io.stdout:flush()
end

local function fail(text)
  say('FAIL: ' .. text)
  vim.cmd('cquit 1')
end

local function first_line(text)
  return (text:gsub('\n.*', ''))
end

local function show(diagnostics)
  for _, d in ipairs(diagnostics) do
    say(string.format('  %s %d:%d %s', d.code or '?', d.range.start.line + 1, d.range.start.character + 1,
      first_line(d.message)))
  end
end

local function codes(diagnostics)
  local list = {}
  for _, d in ipairs(diagnostics) do
    table.insert(list, d.code)
  end
  return table.concat(list, ' ')
end

local function main()
  local bin = os.getenv('CTELINT_BIN')
  local file = os.getenv('CTELINT_FILE')
  if not bin or not file then
    return fail('set CTELINT_BIN and CTELINT_FILE')
  end
  local version = vim.version()
  say(string.format('Neovim %d.%d.%d, server %s, file %s', version.major, version.minor, version.patch, bin,
    vim.fn.fnamemodify(file, ':t')))

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local latest = nil -- the last publishDiagnostics for our buffer
  local exit_code = nil
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']

  local config = {
    name = 'ctelint',
    cmd = { bin, 'server' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, handler_config)
        if result and result.uri == uri then
          latest = result
        end
        return default_handler(err, result, ctx, handler_config)
      end,
    },
    on_exit = function(code, _signal, _client_id)
      exit_code = code
    end,
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config) -- 0.8+: starts and attaches to the current buffer
    say('client: vim.lsp.start')
  else
    client_id = vim.lsp.start_client(config) -- 0.7
    if client_id then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
    say('client: vim.lsp.start_client + vim.lsp.buf_attach_client')
  end
  if not client_id then
    return fail('the client did not start')
  end
  local client = vim.lsp.get_client_by_id(client_id)

  if not vim.wait(timeout, function() return latest ~= nil and #latest.diagnostics > 0 end, 20) then
    return fail(string.format('no diagnostics within %d ms', timeout))
  end
  client = vim.lsp.get_client_by_id(client_id)
  say(string.format('offset encoding: %s', client.offset_encoding or '?'))
  say(string.format('diagnostics (%d; vim.diagnostic holds %d):', #latest.diagnostics, #vim.diagnostic.get(bufnr)))
  show(latest.diagnostics)

  local last_line = vim.api.nvim_buf_line_count(bufnr)
  local function actions(only)
    local params = {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = last_line, character = 0 } },
      context = { diagnostics = latest.diagnostics, only = only },
    }
    local response, err = client.request_sync('textDocument/codeAction', params, timeout, bufnr)
    if not response or response.err then
      return nil, vim.inspect(err or response.err)
    end
    return response.result or {}
  end

  local all, err = actions(nil)
  if not all then
    return fail('codeAction failed: ' .. err)
  end
  say(string.format('code actions (%d):', #all))
  for _, action in ipairs(all) do
    say(string.format('  [%s] %s', action.kind or '?', action.title))
  end

  -- What an on-save hook does: ask for source.fixAll and apply its edit.
  local fix_all = actions({ 'source.fixAll' })
  if not fix_all or #fix_all ~= 1 then
    return fail('expected one source.fixAll action, got ' .. vim.inspect(fix_all))
  end
  local before = latest
  latest = nil
  vim.lsp.util.apply_workspace_edit(fix_all[1].edit, client.offset_encoding)
  if not vim.wait(timeout, function() return latest ~= nil and latest ~= before end, 20) then
    return fail('no diagnostics after the fix-all edit')
  end
  say(string.format('after %s (%d left):', fix_all[1].title, #latest.diagnostics))
  show(latest.diagnostics)
  local changed = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for number, line in ipairs(changed) do
    if line:find('encryption_mode', 1, true) then
      say(string.format('  buffer line %d now reads: %s', number, vim.trim(line)))
    end
  end
  if codes(latest.diagnostics):find('CTE207', 1, true) then
    return fail('CTE207 survived fix-all')
  end

  client.stop()
  if not vim.wait(timeout, function() return exit_code ~= nil end, 20) then
    return fail('the server did not exit after shutdown')
  end
  say(string.format('server exit code after shutdown/exit: %d', exit_code))
  if exit_code ~= 0 then
    return fail('the server exited with ' .. exit_code)
  end
  say('OK')
  vim.cmd('qall!')
end

local ok, message = xpcall(main, debug.traceback)
if not ok then
  fail(tostring(message))
end
