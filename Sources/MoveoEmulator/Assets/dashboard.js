/* moveo-emulator dashboard: plain JS over the admin API. The admin token stays in this tab (sessionStorage). */
(function () {
  'use strict';

  var TOKEN_KEY = 'moveo-emulator-admin-token';
  var state = { integrations: [], selectedSession: null, eventTimer: null };
  var $ = function (id) { return document.getElementById(id); };

  // MARK: - The admin token: from the URL fragment, else asked for inside the page

  function takeTokenFromFragment() {
    var tab = /(?:^#|&)tab=([a-z]+)/.exec(window.location.hash);
    if (tab) state.initialTab = tab[1];
    var session = /(?:^#|&)session=([A-Za-z0-9_-]+)/.exec(window.location.hash);
    if (session) state.initialSession = session[1];
    var match = /(?:^#|&)admin_token=([^&]+)/.exec(window.location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function api(method, path, body) {
    var options = { method: method, headers: { Authorization: 'Bearer ' + token() } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.text().then(function (text) {
        var json = text ? JSON.parse(text) : null;
        if (response.status === 401) { showLogin('That admin token was refused.'); }
        if (!response.ok) {
          var error = new Error((json && json.detail) || response.statusText);
          error.problem = json;
          throw error;
        }
        return json;
      });
    });
  }

  function showLogin(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    stopEvents();
  }

  function showApp() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    refreshAll();
  }

  // MARK: - Rendering helpers (textContent only: nothing from the API is parsed as HTML)

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attributes[name];
      else if (name === 'className') node.className = attributes[name];
      else if (name.indexOf('on') === 0) node[name] = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function when(time) { return time ? time.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }

  function tree(value) {
    if (value === null || typeof value !== 'object') {
      var kind = value === null ? 'null' : typeof value;
      return el('span', { className: kind, text: JSON.stringify(value) });
    }
    var list = el('ul');
    Object.keys(value).forEach(function (key) {
      var item = el('li', {}, [el('span', { className: 'key', text: Array.isArray(value) ? '[' + key + '] ' : key + ': ' })]);
      item.appendChild(tree(value[key]));
      list.appendChild(item);
    });
    return list;
  }

  function status(text) { $('status').textContent = text || ''; }

  // MARK: - Context layers: which layer each effective value came from (private wins, then variables, then public)

  function has(value, path) {
    var node = value;
    for (var i = 0; i < path.length; i++) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !(path[i] in node)) return false;
      node = node[path[i]];
    }
    return true;
  }

  function origin(session, path) {
    if (session.context && has(session.context, path)) return 'private';
    if (has(session.variables, path)) return 'variables';
    return 'public';
  }

  /** The effective context as a tree whose leaves are tagged with the layer they came from. */
  function effectiveTree(session, value, path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
      var layer = origin(session, path);
      return el('span', {}, [tree(value), el('span', { className: 'tag layer-' + layer, 'data-origin': layer, text: layer })]);
    }
    var list = el('ul');
    Object.keys(value).forEach(function (key) {
      var item = el('li', { 'data-pointer': '/' + path.concat([key]).map(function (t) { return t.replace(/~/g, '~0').replace(/\//g, '~1'); }).join('/') },
        [el('span', { className: 'key', text: key + ': ' })]);
      item.appendChild(effectiveTree(session, value[key], path.concat([key])));
      list.appendChild(item);
    });
    return list;
  }

  function layers(session) {
    var column = function (title, value, note) {
      var empty = value === null || (typeof value === 'object' && Object.keys(value).length === 0);
      return el('div', { className: 'layer' }, [el('h4', { text: title }), el('p', { className: 'muted', text: note }),
        empty ? el('p', { className: 'muted', text: 'empty' }) : el('div', { className: 'tree' }, [tree(value)])]);
    };
    return el('div', { className: 'layers' }, [
      column('Private (token, pinned)', session.context, 'decrypted at creation; nothing changes it'),
      column('Public (browser)', session.public_context, 'updateContext(); private pointers ignored'),
      column('Variables (webhooks)', session.variables, 'webhook answers\' output'),
      el('div', { className: 'layer effective' }, [el('h4', { text: 'Effective (what the dialog sees)' }),
        el('p', { className: 'muted', text: 'public ⊕ variables ⊕ private · locale ' + session.locale }),
        el('div', { className: 'tree context-tree' }, [effectiveTree(session, session.effective_context, [])])]),
    ]);
  }

  function failure(error) {
    var problem = error.problem;
    status(problem ? problem.code + ': ' + problem.detail + (problem.hint ? ' — ' + problem.hint : '') : String(error));
  }

  // MARK: - Integrations

  function loadIntegrations() {
    return api('GET', '/v1/admin/integrations').then(function (answer) {
      state.integrations = answer.integrations;
      renderIntegrations();
      ['session-integration', 'verify-integration'].forEach(function (id) {
        var select = $(id);
        var keep = select.value;
        while (select.options.length > (id === 'session-integration' ? 1 : 0)) select.remove(select.options.length - 1);
        state.integrations.forEach(function (integration) {
          select.appendChild(el('option', { value: integration.integration_id, text: integration.integration_id }));
        });
        if (keep) select.value = keep;
      });
    });
  }

  function renderIntegrations() {
    var container = $('integrations');
    container.textContent = '';
    if (!state.integrations.length) container.appendChild(el('p', { className: 'muted', text: 'No integrations yet.' }));
    state.integrations.forEach(function (integration) {
      var id = integration.integration_id;
      var keys = el('table', {}, [el('thead', {}, [el('tr', {}, ['kid', 'fingerprint (SHA-256 of SPKI)', 'bits', 'added', ''].map(function (name) {
        return el('th', { text: name });
      }))])]);
      var body = el('tbody');
      integration.customer_keys.forEach(function (key) {
        body.appendChild(el('tr', {}, [
          el('td', {}, [el('code', { text: key.kid })]), el('td', {}, [el('code', { text: key.fingerprint_sha256 })]),
          el('td', { text: String(key.bits) }), el('td', { text: when(key.added_at) }),
          el('td', {}, [el('button', { text: 'remove', onclick: function () {
            api('DELETE', '/v1/admin/integrations/' + id + '/customer-keys/' + encodeURIComponent(key.kid)).then(loadIntegrations, failure);
          } })]),
        ]));
      });
      if (!integration.customer_keys.length) body.appendChild(el('tr', {}, [el('td', { colspan: '5', className: 'muted', text: 'no customer key: tokens are refused with no_customer_key' })]));
      keys.appendChild(body);
      var pem = integration.platform_key ? integration.platform_key.public_key_pem : '';
      var newKey = el('textarea', { rows: '3', placeholder: 'paste a customer public key (PEM or JWK) to add it' });
      var timeout = el('input', { type: 'number', value: String(integration.session_timeout), min: '1', size: '8' });
      var hooks = webhooks(integration);
      container.appendChild(el('div', { className: 'card', 'data-integration': id }, [
        el('h3', { text: integration.name + ' ' }, [el('span', { className: 'tag', text: id })]),
        lintBox(id),
        el('div', { className: 'row' }, [
          el('span', { text: 'auth required: ' + (integration.auth_required ? 'yes' : 'no') }),
          el('span', { text: '· session timeout' }), timeout,
          el('button', { text: 'save', onclick: function () {
            api('PATCH', '/v1/admin/integrations/' + id, { session_timeout: Number(timeout.value) }).then(loadIntegrations, failure);
          } }),
        ]),
        el('h4', { text: 'Webhooks (called for each user message: first_message or pre_message, dialog, post_message)' }), hooks,
        el('h4', { text: 'Customer keys (verify RS256)' }), keys,
        el('div', { className: 'row' }, [newKey]),
        el('div', { className: 'row' }, [el('button', { text: 'add customer key', onclick: function () {
          api('POST', '/v1/admin/integrations/' + id + '/customer-keys', { public_key: newKey.value }).then(loadIntegrations, failure);
        } })]),
        el('h4', { text: 'Platform public key (PKCS#1) — encrypt encryption_key and init_vector with it' }),
        el('pre', { className: 'platform-pem', text: pem }),
        el('div', { className: 'row' }, [
          el('button', { text: 'copy', onclick: function () {
            if (navigator.clipboard) navigator.clipboard.writeText(pem).then(function () { status('platform key copied'); });
          } }),
          el('button', { text: 'rotate platform key', onclick: function () {
            api('POST', '/v1/admin/integrations/' + id + '/platform-key/rotate').then(function () {
              status('rotated: the previous key still decrypts until the next rotation');
              return loadIntegrations();
            }, failure);
          } }),
          el('span', { className: 'muted', text: integration.platform_key ? 'kid ' + integration.platform_key.kid : '' }),
        ]),
      ]));
    });
  }

  // MARK: - Signer lint of an integration (CONTRACT §15): findings first

  function lintBox(id) {
    var box = el('div', { className: 'lint', 'data-lint': id }, [el('p', { className: 'muted', text: 'signer lint: loading…' })]);
    api('GET', '/v1/admin/integrations/' + id + '/lint').then(function (report) {
      box.textContent = '';
      box.appendChild(el('h4', { text: 'Signer lint (' + report.tokens_seen + ' tokens seen)' }));
      if (!report.findings.length) box.appendChild(el('p', { className: 'ok', text: report.tokens_seen ? 'no finding' : 'no token seen yet' }));
      report.findings.forEach(function (finding) {
        box.appendChild(el('div', { className: 'row', 'data-finding': finding.code }, [
          el('span', { className: 'tag rejected', text: finding.code + ' ×' + finding.count }),
          el('span', { text: finding.detail + ' (first ' + when(finding.first_at) + ', last ' + when(finding.last_at) + ')' }),
        ]));
      });
      var algs = Object.keys(report.headers.alg).map(function (k) { return k + ' ' + report.headers.alg[k]; }).join(', ');
      var typs = Object.keys(report.headers.typ).map(function (k) { return k + ' ' + report.headers.typ[k]; }).join(', ');
      box.appendChild(el('p', { className: 'muted', text: 'lifetime p50 ' + (report.lifetimes.p50 === null ? '—' : report.lifetimes.p50 + ' s') +
        ', max ' + (report.lifetimes.max === null ? '—' : report.lifetimes.max + ' s') + ' · alg: ' + (algs || '—') + ' · typ: ' + (typs || '—') +
        ' · kid present: ' + report.headers.kid_present }));
    }, function () { box.textContent = ''; });
    return box;
  }

  // MARK: - Webhooks of an integration (CONTRACT §10)

  function shownOnce(answer) {
    if (answer.verification_token) status('verification token of ' + answer.name + ' (shown once): ' + answer.verification_token);
    return loadIntegrations();
  }

  function headersFrom(text) {
    var headers = {};
    text.split('\n').forEach(function (line) {
      var colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    });
    return headers;
  }

  function headerLines(headers) {
    return Object.keys(headers || {}).map(function (name) { return name + ': ' + headers[name]; }).join('\n');
  }

  function webhooks(integration) {
    var id = integration.integration_id;
    var base = '/v1/admin/integrations/' + id + '/webhooks';
    var table = el('table', { 'data-webhooks': id }, [el('thead', {}, [el('tr', {}, ['name', 'type', 'url', 'custom headers (Name: value per line)', ''].map(function (name) {
      return el('th', { text: name });
    }))])]);
    var body = el('tbody');
    (integration.webhooks || []).forEach(function (hook) {
      var url = el('input', { size: '32', value: hook.url });
      var headers = el('textarea', { rows: '2', cols: '28' });
      headers.value = headerLines(hook.custom_headers);
      body.appendChild(el('tr', { 'data-webhook': hook.webhook_id }, [
        el('td', { text: hook.name }), el('td', {}, [el('span', { className: 'tag', text: hook.type })]), el('td', {}, [url]), el('td', {}, [headers]),
        el('td', {}, [
          el('button', { text: 'save', onclick: function () {
            api('PATCH', base + '/' + hook.webhook_id, { url: url.value.trim(), custom_headers: headersFrom(headers.value) }).then(loadIntegrations, failure);
          } }),
          el('button', { text: 'rotate token', onclick: function () { api('POST', base + '/' + hook.webhook_id + '/rotate-token').then(shownOnce, failure); } }),
          el('button', { text: 'delete', onclick: function () { api('DELETE', base + '/' + hook.webhook_id).then(loadIntegrations, failure); } }),
        ]),
      ]));
    });
    var name = el('input', { size: '10', placeholder: 'name' });
    var type = el('select', {}, ['dialog', 'first_message', 'pre_message', 'post_message'].map(function (value) { return el('option', { value: value, text: value }); }));
    var url = el('input', { size: '32', placeholder: 'http://127.0.0.1:3000/moveo-webhook' });
    var headers = el('textarea', { rows: '2', cols: '28', placeholder: 'Authorization: Bearer …' });
    body.appendChild(el('tr', {}, [el('td', {}, [name]), el('td', {}, [type]), el('td', {}, [url]), el('td', {}, [headers]),
      el('td', {}, [el('button', { text: 'add webhook', onclick: function () {
        api('POST', base, { name: name.value.trim(), type: type.value, url: url.value.trim(), custom_headers: headersFrom(headers.value) })
          .then(shownOnce, failure);
      } })])]));
    table.appendChild(body);
    return table;
  }

  // MARK: - Sessions

  function loadSessions() {
    var query = ['limit=100'];
    if ($('session-integration').value) query.push('integration_id=' + encodeURIComponent($('session-integration').value));
    if ($('session-external').value) query.push('external_id=' + encodeURIComponent($('session-external').value));
    return api('GET', '/v1/admin/sessions?' + query.join('&')).then(function (answer) {
      var body = $('sessions').tBodies[0];
      body.textContent = '';
      answer.sessions.forEach(function (session) {
        var row = el('tr', { className: 'clickable' + (state.selectedSession === session.session_id ? ' selected' : ''),
          'data-session': session.session_id, onclick: function () { showSession(session.session_id); } }, [
          el('td', { text: when(session.created_at) }), el('td', { text: session.integration_id }),
          el('td', { text: session.external_id === null ? '(anonymous)' : session.external_id }),
          el('td', { text: session.issuer || '' }), el('td', { text: String(session.message_count) }),
        ]);
        body.appendChild(row);
      });
      if (!answer.sessions.length) body.appendChild(el('tr', {}, [el('td', { colspan: '5', className: 'muted', text: 'no sessions' })]));
    });
  }

  function showSession(id) {
    state.selectedSession = id;
    Promise.all([api('GET', '/v1/admin/sessions/' + id), api('GET', '/v1/admin/sessions/' + id + '/messages'),
      api('GET', '/v1/admin/sessions/' + id + '/deliveries')]).then(function (answers) {
      var session = answers[0];
      var detail = $('session-detail');
      detail.className = 'card';
      detail.textContent = '';
      detail.appendChild(el('h3', { text: session.external_id === null ? 'Anonymous session' : 'Session of ' + session.external_id }));
      detail.appendChild(el('p', { className: 'muted', text: session.session_id + ' · iss ' + (session.issuer || '—') + ' · last seen ' + when(session.last_seen_at) }));
      if (session.ended_at) detail.appendChild(el('p', { className: 'bad', text: 'ended ' + when(session.ended_at) }));
      detail.appendChild(el('h4', { text: 'Context layers' }));
      detail.appendChild(layers(session));
      detail.appendChild(el('h4', { text: 'Transcript' }));
      answers[1].messages.forEach(function (message) {
        detail.appendChild(el('div', { className: 'bubble ' + message.role, text: message.text }));
      });
      if (answers[2].deliveries.length) {
        detail.appendChild(el('h4', { text: 'Webhook deliveries' }));
        answers[2].deliveries.forEach(function (delivery) {
          detail.appendChild(el('div', { className: 'row' }, [
            el('span', { className: 'tag ' + (delivery.outcome === 'ok' ? 'accepted' : 'rejected'), text: delivery.outcome }),
            el('span', { className: 'tag', text: delivery.type }),
            el('span', { text: when(delivery.at) + ' ' + delivery.url + ' → ' + (delivery.status === null ? 'no answer' : 'HTTP ' + delivery.status) +
              ' in ' + delivery.duration_ms + ' ms' + (delivery.signature_verified ? ' · signature ok' : ' · signature NOT verified') +
              (delivery.error ? ' · ' + delivery.error : '') +
              (delivery.ignored && delivery.ignored.length ? ' · output ignored (private): ' + delivery.ignored.join(', ') : '') }),
          ]));
        });
      }
      if (session.external_id !== null) {
        detail.appendChild(el('button', { text: 'delete this user\'s data', onclick: function () {
          if (!window.confirm('Delete every session, message and event of ' + session.external_id + '?')) return;
          api('DELETE', '/v1/admin/integrations/' + session.integration_id + '/users/' + encodeURIComponent(session.external_id)).then(function (counts) {
            status('deleted ' + counts.deleted_sessions + ' sessions and ' + counts.deleted_messages + ' messages');
            state.selectedSession = null;
            detail.textContent = '';
            return loadSessions();
          }, failure);
        } }));
      }
      loadSessions();
    }, failure);
  }

  // MARK: - Events (live)

  function loadEvents() {
    var query = ['limit=100'];
    if ($('event-outcome').value) query.push('outcome=' + $('event-outcome').value);
    return api('GET', '/v1/admin/events?' + query.join('&')).then(function (answer) {
      var body = $('events').tBodies[0];
      body.textContent = '';
      answer.events.forEach(function (event) {
        body.appendChild(el('tr', {}, [
          el('td', { text: when(event.at) }), el('td', { text: event.integration_id || '' }), el('td', { text: event.action }),
          el('td', {}, [el('span', { className: 'tag ' + event.outcome, text: event.outcome })]), el('td', {}, [el('code', { text: event.code || '' })]),
          el('td', { text: event.sub || '' }), el('td', { text: event.detail }),
        ]));
      });
      if (!answer.events.length) body.appendChild(el('tr', {}, [el('td', { colspan: '7', className: 'muted', text: 'no events' })]));
    });
  }

  function startEvents() {
    stopEvents();
    state.eventTimer = setInterval(function () {
      if ($('event-live').checked && !$('tab-events').hidden) loadEvents().catch(function () {});
    }, 2000);
  }

  function stopEvents() { if (state.eventTimer) clearInterval(state.eventTimer); state.eventTimer = null; }

  // MARK: - Check a token

  function verify(event) {
    event.preventDefault();
    var id = $('verify-integration').value;
    api('POST', '/v1/admin/integrations/' + id + '/verify', { identity_token: $('verify-token').value.trim() }).then(function (answer) {
      var result = $('verify-result');
      result.textContent = '';
      var card = el('div', { className: 'card' }, [el('h3', { className: answer.valid ? 'ok' : 'bad', text: answer.valid ? 'Valid' : 'Refused: ' + answer.error.code })]);
      if (!answer.valid) {
        card.appendChild(el('p', { text: answer.error.detail }));
        if (answer.error.hint) card.appendChild(el('p', {}, [el('strong', { text: 'Hint: ' }), document.createTextNode(answer.error.hint)]));
      }
      var list = el('ul', { className: 'checks' });
      answer.checks.forEach(function (check) {
        var mark = check.ok === true ? ['ok', '✔'] : check.ok === false ? ['bad', '✘'] : ['pending', '–'];
        list.appendChild(el('li', { 'data-check': check.name }, [el('span', { className: mark[0], text: mark[1] + ' ' + check.name + ' ' }),
          document.createTextNode(check.detail)]));
      });
      card.appendChild(list);
      (answer.warnings || []).forEach(function (warning) { card.appendChild(el('p', { className: 'bad', text: 'warning: ' + warning })); });
      if (answer.claims) card.appendChild(el('div', {}, [el('h4', { text: 'Claims' }), el('pre', { text: JSON.stringify(answer.claims, null, 2) })]));
      if (answer.valid && answer.context) card.appendChild(el('div', { className: 'tree' }, [el('h4', { text: 'Decrypted context' }), tree(answer.context)]));
      result.appendChild(card);
    }, failure);
  }

  // MARK: - Clock

  function loadClock() {
    return api('GET', '/v1/admin/clock').then(showClock);
  }

  function showClock(clock) {
    $('clock-now').textContent = when(clock.now);
    $('clock-mode').textContent = clock.mode;
    $('clock-line').textContent = 'clock ' + when(clock.now) + ' (' + clock.mode + ')';
  }

  // MARK: - Wiring

  function refreshAll() {
    loadIntegrations().then(function () { return Promise.all([loadSessions(), loadEvents(), loadClock()]); }).catch(failure);
    startEvents();
  }

  document.querySelectorAll('nav button').forEach(function (button) {
    button.onclick = function () {
      document.querySelectorAll('nav button').forEach(function (other) { other.classList.toggle('active', other === button); });
      document.querySelectorAll('.tab').forEach(function (tab) { tab.hidden = tab.id !== 'tab-' + button.getAttribute('data-tab'); });
      refreshAll();
    };
  });
  $('login-form').onsubmit = function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('login-token').value.trim());
    showApp();
  };
  $('sign-out').onclick = function () { showLogin(''); };
  $('session-refresh').onclick = function () { loadSessions().catch(failure); };
  $('session-integration').onchange = function () { loadSessions().catch(failure); };
  $('event-outcome').onchange = function () { loadEvents().catch(failure); };
  $('verify-form').onsubmit = verify;
  $('clock-fixed').onsubmit = function (event) {
    event.preventDefault();
    api('PUT', '/v1/admin/clock', { now: $('clock-fixed-value').value.trim() }).then(showClock, failure);
  };
  $('clock-offset').onsubmit = function (event) {
    event.preventDefault();
    api('PUT', '/v1/admin/clock', { offset_seconds: Number($('clock-offset-value').value) }).then(showClock, failure);
  };
  $('clock-system').onclick = function () { api('DELETE', '/v1/admin/clock').then(showClock, failure); };

  takeTokenFromFragment();
  if (token()) showApp(); else showLogin('');
  if (state.initialTab) {
    var initial = document.querySelector('nav button[data-tab="' + state.initialTab + '"]');
    if (initial) initial.click();
  }
  if (state.initialSession && token()) showSession(state.initialSession);
})();
