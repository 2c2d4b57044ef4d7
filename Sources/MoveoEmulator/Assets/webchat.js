/* moveo-emulator webchat.js — the shape of the real web client, pointed at the emulator.
 *
 *   <script src="{the emulator's origin}/webchat.js"></script>
 *   MoveoAI.init({ integrationId: 'demo', identityToken: token }).then((instance) => { … });
 *
 * No dependencies, nothing fetched but the emulator's own API. Errors carry the problem's `code`.
 */
(function () {
  'use strict';

  var scriptSource = document.currentScript && document.currentScript.src;
  var defaultHost = scriptSource ? new URL(scriptSource).origin : window.location.origin;

  /** A rejected call: an Error carrying the RFC 9457 problem's fields (code, detail, hint, claim, status). */
  function problemError(problem, status) {
    var error = new Error((problem && (problem.detail || problem.title)) || 'request failed');
    error.name = 'MoveoAIError';
    error.status = (problem && problem.status) || status || 0;
    error.code = (problem && problem.code) || 'network_error';
    error.detail = problem && problem.detail;
    error.hint = problem && problem.hint;
    error.claim = problem && problem.claim;
    error.problem = problem || { code: error.code, detail: error.message };
    return error;
  }

  var VERSION = '4';

  function post(url, body) { return call('POST', url, body); }

  /** One API call; resolves with the JSON answer (null for 204), rejects with the problem as an Error. */
  function call(method, url, body) {
    var request = { method: method, headers: {} };
    if (body !== undefined) {
      request.headers['Content-Type'] = 'application/json';
      request.body = JSON.stringify(body);
    }
    return fetch(url, request).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (ignored) { json = null; }
        if (!response.ok) throw problemError(json, response.status);
        return json;
      });
    }, function (failure) {
      throw problemError({ code: 'network_error', detail: String(failure && failure.message || failure) }, 0);
    });
  }

  var styles = [
    '.moveo-wc{font:14px/1.4 system-ui,sans-serif;color:#1d2430}',
    '.moveo-wc-launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;',
    'background:var(--moveo-accent,#3b5bdb);color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}',
    '.moveo-wc-panel{display:flex;flex-direction:column;width:340px;height:440px;background:#fff;border:1px solid #d0d7e2;',
    'border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.18);overflow:hidden}',
    '.moveo-wc-floating{position:fixed;right:20px;bottom:88px;z-index:2147483000}',
    '.moveo-wc-header{background:var(--moveo-accent,#3b5bdb);color:#fff;padding:10px 14px;font-weight:600;display:flex;justify-content:space-between}',
    '.moveo-wc-header button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}',
    '.moveo-wc-log{flex:1;overflow-y:auto;padding:10px;background:var(--moveo-background,#f6f8fb)}',
    '.moveo-wc-msg{max-width:80%;margin:6px 0;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}',
    '.moveo-wc-user{margin-left:auto;background:var(--moveo-accent,#3b5bdb);color:#fff}',
    '.moveo-wc-assistant{background:#fff;border:1px solid #d0d7e2}',
    '.moveo-wc-error{background:#fff0f0;border:1px solid #f2b8b5;color:#8a1c1c;font-size:12px}',
    '.moveo-wc-form{display:flex;border-top:1px solid #d0d7e2}',
    '.moveo-wc-form input{flex:1;border:0;padding:10px;font:inherit;outline:none}',
    '.moveo-wc-form button{border:0;background:var(--moveo-accent,#3b5bdb);color:#fff;padding:0 16px;cursor:pointer;font:inherit}',
    '.moveo-wc-options{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px}',
    '.moveo-wc-options button{border:1px solid var(--moveo-accent,#3b5bdb);background:#fff;color:var(--moveo-accent,#3b5bdb);',
    'border-radius:14px;padding:4px 10px;cursor:pointer;font:inherit;font-size:13px}',
    '.moveo-wc-card{background:#fff;border:1px solid #d0d7e2;border-radius:10px;margin:6px 0;padding:8px 10px;max-width:80%}',
    '.moveo-wc-card img{max-width:100%;display:block;margin-bottom:4px}',
    '.moveo-wc-card .moveo-wc-type{font-size:11px;color:#5c6b80;text-transform:uppercase;letter-spacing:.04em}',
  ].join('');

  function ensureStyles() {
    if (document.getElementById('moveo-wc-styles')) return;
    var style = document.createElement('style');
    style.id = 'moveo-wc-styles';
    style.textContent = styles;
    document.head.appendChild(style);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** One chat: a session on the emulator and its window. */
  function Instance(options, session) {
    this.host = options.host;
    this.integrationId = options.integrationId;
    this.session = session;
    this.sessionId = session.session_id;
    this._pendingToken = null;
    this._listeners = { sessionCreated: [], message: [], error: [] };
    this.locale = 'en';
    this.version = VERSION;
    this._render(options.element);
    if (options.welcomeMessage) this._append('assistant', String(options.welcomeMessage));
  }

  Instance.prototype._sessionURL = function (suffix) {
    return this.host + '/v1/webchat/sessions/' + encodeURIComponent(this.sessionId) + (suffix || '');
  };

  Instance.prototype._failed = function (error) {
    this._append('error', error.code + ': ' + (error.detail || error.message));
    this._emit('error', error);
    throw error;
  };

  Instance.prototype._emit = function (kind, value) {
    this._listeners[kind].forEach(function (callback) {
      try { callback(value); } catch (ignored) { /* a listener's failure is its own */ }
    });
  };

  Instance.prototype._render = function (container) {
    ensureStyles();
    var self = this;
    var root = element('div', 'moveo-wc');
    var panel = element('div', 'moveo-wc-panel' + (container ? '' : ' moveo-wc-floating'));
    var header = element('div', 'moveo-wc-header');
    header.appendChild(element('span', '', 'Chat (moveo-emulator)'));
    var close = element('button', '', '×');
    close.setAttribute('aria-label', 'Close');
    close.onclick = function () { self.closeWindow(); };
    header.appendChild(close);
    var log = element('div', 'moveo-wc-log');
    log.setAttribute('data-moveo', 'log');
    var form = element('form', 'moveo-wc-form');
    var input = element('input');
    input.placeholder = 'Type a message…';
    input.setAttribute('data-moveo', 'input');
    var send = element('button', '', 'Send');
    send.type = 'submit';
    form.appendChild(input);
    form.appendChild(send);
    form.onsubmit = function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text) return;
      input.value = '';
      self.sendMessage({ text: text }).catch(function () { /* shown in the log and via onError */ });
    };
    panel.appendChild(header);
    panel.appendChild(log);
    panel.appendChild(form);
    root.appendChild(panel);
    if (!container) {
      var launcher = element('button', 'moveo-wc-launcher', '💬');
      launcher.setAttribute('aria-label', 'Open chat');
      launcher.onclick = function () { self.isOpen ? self.closeWindow() : self.openWindow(); };
      root.appendChild(launcher);
      panel.style.display = 'none';
      this.isOpen = false;
    } else {
      this.isOpen = true;
    }
    (container || document.body).appendChild(root);
    this._root = root;
    this._panel = panel;
    this._log = log;
  };

  Instance.prototype._append = function (role, text) {
    if (!this._log) return null;
    var bubble = element('div', 'moveo-wc-msg moveo-wc-' + role, text);
    bubble.setAttribute('data-role', role);
    this._log.appendChild(bubble);
    this._log.scrollTop = this._log.scrollHeight;
    return bubble;
  };

  /** Renders one response of the web channel: text (with options as buttons), or any other type as a link or a card. */
  Instance.prototype._renderResponse = function (response) {
    var self = this;
    if (!this._log || !response) return;
    if (response.type === 'text') {
      this._append('assistant', String(response.text === undefined ? '' : response.text));
    } else {
      var card = element('div', 'moveo-wc-card');
      card.setAttribute('data-role', 'assistant');
      card.setAttribute('data-type', String(response.type));
      card.appendChild(element('div', 'moveo-wc-type', String(response.type)));
      var url = response.url || (response.type === 'image' && response.image) || null;
      if (response.type === 'image' && url) {
        var image = element('img');
        image.src = url;
        image.alt = response.alt || response.title || '';
        card.appendChild(image);
      } else if (url) {
        var link = element('a', '', response.title || response.text || url);
        link.href = url;
        link.target = '_blank';
        link.rel = 'noopener';
        card.appendChild(link);
      }
      var words = response.title || response.text || (response.type === 'handover' ? 'handed over to an agent' : '');
      if (words && !url) card.appendChild(element('div', '', String(words)));
      if (Array.isArray(response.cards)) card.appendChild(element('div', '', response.cards.length + ' cards'));
      if (!card.childNodes[1]) card.appendChild(element('code', '', JSON.stringify(response).slice(0, 200)));
      this._log.appendChild(card);
    }
    if (Array.isArray(response.options) && response.options.length) {
      var row = element('div', 'moveo-wc-options');
      response.options.forEach(function (option) {
        var button = element('button', '', String(option.label || option.text));
        button.type = 'button';
        button.setAttribute('data-moveo', 'option');
        button.onclick = function () {
          self.sendMessage({ text: String(option.text || option.label) }).catch(function () { /* shown in the log and via onError */ });
        };
        row.appendChild(button);
      });
      this._log.appendChild(row);
    }
    this._log.scrollTop = this._log.scrollHeight;
  };

  /** Sends a message; the next one carries the token given to updateIdentityToken. Resolves with the API's answer. */
  Instance.prototype.sendMessage = function (message) {
    var self = this;
    var text = message && message.text;
    var body = { text: text };
    if (this._pendingToken) body.identity_token = this._pendingToken;
    this._pendingToken = null;
    this._append('user', String(text));
    this._emit('message', { role: 'user', text: text, sessionId: this.sessionId });
    return post(this._sessionURL('/messages'), body).then(function (answer) {
      var responses = Array.isArray(answer.responses) ? answer.responses : [{ type: 'text', text: answer.reply.text }];
      responses.forEach(function (response) { self._renderResponse(response); });
      self._emit('message', {
        role: 'assistant', text: answer.reply.text, responses: responses, messageId: answer.message_id, sessionId: self.sessionId,
      });
      return answer;
    }, function (error) { return self._failed(error); });
  };

  /**
   * Adds to the session's public context (what the dialog sees beside the private one). Values the private context
   * defines cannot be changed: they come back in `ignored`. Resolves with {applied, ignored} (JSON Pointers).
   */
  Instance.prototype.updateContext = function (context) {
    var self = this;
    var body = { context: context };
    if (this._pendingToken) body.identity_token = this._pendingToken;
    this._pendingToken = null;
    return post(this._sessionURL('/context'), body).then(function (answer) {
      return { applied: answer.applied, ignored: answer.ignored };
    }, function (error) { return self._failed(error); });
  };

  /** Sets the session's language (a BCP 47 tag such as 'el'); webhooks receive it as `lang`. */
  Instance.prototype.setLocale = function (locale) {
    var self = this;
    return call('PUT', this._sessionURL('/locale'), { locale: locale }).then(function (answer) {
      self.locale = answer.locale;
      return answer;
    }, function (error) { return self._failed(error); });
  };

  /** Applies CSS variables named --moveo-… to the widget's root (others are ignored); returns the names applied. */
  Instance.prototype.setCSSVariables = function (variables) {
    var applied = [];
    var root = this._root;
    Object.keys(variables || {}).forEach(function (name) {
      if (name.indexOf('--moveo-') !== 0 || !root) return;
      root.style.setProperty(name, String(variables[name]));
      applied.push(name);
    });
    return applied;
  };

  /** The next message carries this token (re-verified by the emulator; its sub must match the session's). */
  Instance.prototype.updateIdentityToken = function (token) { this._pendingToken = token || null; };
  /** Shows the chat window. */
  Instance.prototype.openWindow = function () { if (this._panel) { this._panel.style.display = 'flex'; this.isOpen = true; } };
  /** Hides the chat window. */
  Instance.prototype.closeWindow = function () { if (this._panel) { this._panel.style.display = 'none'; this.isOpen = false; } };
  /** Ends the session on the emulator (later calls get session_ended), then removes the window and every listener. */
  Instance.prototype.destroy = function () {
    var self = this;
    var ended = this.sessionId && !this._ended
      ? call('DELETE', this._sessionURL()).catch(function (error) { self._emit('error', error); })
      : Promise.resolve();
    this._ended = true;
    if (this._root && this._root.parentNode) this._root.parentNode.removeChild(this._root);
    this._root = this._panel = this._log = null;
    return ended.then(function () { self._listeners = { sessionCreated: [], message: [], error: [] }; });
  };
  /** Calls back with the session once created (at once when it already is). */
  Instance.prototype.onSessionCreated = function (callback) {
    this._listeners.sessionCreated.push(callback);
    try { callback(this.session); } catch (ignored) { /* a listener's failure is its own */ }
  };
  /** Calls back on every user message and reply. */
  Instance.prototype.onMessage = function (callback) { this._listeners.message.push(callback); };
  /** Calls back with every error (it carries the problem's code). */
  Instance.prototype.onError = function (callback) { this._listeners.error.push(callback); };

  window.MoveoAI = {
    /** This client's version. */
    version: VERSION,
    /** Creates the session (verifying identityToken) and renders the chat; rejects with the problem when refused. */
    init: function (options) {
      options = options || {};
      if (!options.integrationId) return Promise.reject(problemError({ code: 'invalid_request', detail: 'integrationId is required' }, 400));
      var settings = {
        integrationId: options.integrationId,
        host: (options.host || defaultHost).replace(/\/+$/, ''),
        element: typeof options.element === 'string' ? document.querySelector(options.element) : options.element || null,
        welcomeMessage: options.welcome_message || options.welcomeMessage || null,
        version: options.version, // accepted, as the real client's; this client has one version
      };
      var body = options.identityToken ? { identity_token: options.identityToken } : {};
      return post(settings.host + '/v1/webchat/' + encodeURIComponent(settings.integrationId) + '/sessions', body).then(function (session) {
        return new Instance(settings, session);
      });
    },
  };
})();
