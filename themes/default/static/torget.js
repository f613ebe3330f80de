// Torget: small progressive enhancements. Every page works without this file.
// 1. A call's form closes (or opens) itself at its deadline, even in a tab left open.
// 2. Answers are sent as JSON, and errors are shown beside the questions without a reload.
// 3. The thanks page shows the receipt code from its address, names the call, copies the code,
//    and keeps it in its language links and its withdraw link (with the call); the withdraw
//    page fills both in.
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var CALL_KEY = 'torget.answered';

  var receipt = $('[data-receipt]');
  var withdrawField = $('form.withdraw-form input[name=receipt]');
  var code = (new URLSearchParams(location.search).get('receipt') || '').trim();
  if (code.length > 64) code = '';
  if (code && (receipt || withdrawField)) {
    // Another language's page, and the withdraw page, get the code along.
    $$('.lang-switch a, a[data-withdraw-link]').forEach(function (a) {
      var u = new URL(a.href, location.href);
      u.searchParams.set('receipt', code);
      a.href = u.pathname + u.search + u.hash;
    });
  }
  if (withdrawField && code && !withdrawField.value) withdrawField.value = code;
  var callField = $('form.withdraw-form input[name=call]');
  var fromCall = (new URLSearchParams(location.search).get('call') || '').trim();
  if (callField && /^[A-Za-z0-9_-]{1,100}$/.test(fromCall)) callField.value = fromCall;
  if (receipt && code) {
    // Breaks only between the code's groups, never inside one.
    receipt.textContent = '';
    code.split('-').forEach(function (group, i, all) {
      receipt.appendChild(document.createTextNode(group + (i < all.length - 1 ? '-' : '')));
      if (i < all.length - 1) receipt.appendChild(document.createElement('wbr'));
    });
    var copyRow = $('[data-copy-row]');
    var copy = $('[data-copy-receipt]');
    if (copyRow && copy && navigator.clipboard) {
      copyRow.hidden = false;
      copy.addEventListener('click', function () {
        navigator.clipboard.writeText(code).then(function () {
          $('.copy-status', copyRow).textContent = copy.dataset.copied;
        }, function () {});
      });
    }
    var answered = null;
    try { answered = JSON.parse(sessionStorage.getItem(CALL_KEY) || 'null'); } catch (e) { answered = null; }
    var callLine = $('[data-thanks-call]');
    if (callLine && answered && answered.receipt === code && answered.title) {
      var link = $('[data-call-link]', callLine);
      link.textContent = answered.title;
      link.href = answered.url;
      link.lang = answered.lang;
      callLine.hidden = false;
      if (answered.call) {
        // The withdraw page then knows the call, to lead back to it.
        $$('a[data-withdraw-link]').forEach(function (a) {
          var u = new URL(a.href, location.href);
          u.searchParams.set('call', answered.call);
          a.href = u.pathname + u.search + u.hash;
        });
      }
    }
  }

  var form = $('form.answer-form');
  if (!form) return;
  var badge = $('[data-call-state]');
  var closedNotice = $('[data-closed-notice]');
  var upcomingNotice = $('[data-upcoming-notice]');
  var opens = Date.parse(form.dataset.opens);
  var closes = Date.parse(form.dataset.closes);
  var timer;

  function setBadge(state, label) {
    if (!badge || !label) return;
    badge.textContent = label;
    badge.className = badge.className.replace(/\bbadge-\w+/, 'badge-' + state);
  }

  // Shows what the clock says: closed after the deadline, open between opening and deadline.
  function checkDeadline() {
    clearTimeout(timer);
    var now = Date.now();
    if (now >= closes) {
      var hadFocus = form.contains(document.activeElement);
      form.hidden = true;
      if (upcomingNotice) upcomingNotice.hidden = true;
      if (closedNotice) {
        closedNotice.hidden = false;
        if (hadFocus) closedNotice.focus();
      }
      setBadge('closed', badge && badge.dataset.closedLabel);
      return true;
    }
    if (form.hidden && now >= opens) {
      form.hidden = false;
      if (upcomingNotice) upcomingNotice.hidden = true;
      setBadge('open', badge && badge.dataset.openLabel);
    }
    var next = now < opens ? opens : closes;
    if (next - now < 864e5) timer = setTimeout(checkDeadline, next - now + 250);
    return false;
  }
  if (!isNaN(opens) && !isNaN(closes)) {
    checkDeadline();
    // Timers stall while a computer sleeps; look again when the tab comes back.
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) checkDeadline();
    });
  }

  if (!window.fetch) return;
  var summary = $('[data-error-summary]', form);
  var summaryList = $('ul', summary);
  var summaryHeading = $('h2, h3, h4', summary);
  var errorsHeading = summaryHeading.textContent;
  // The minifier drops `type="submit"`, the default, so a submit button may have no type.
  var button = $('button:not([type]), button[type="submit"]', form);
  var buttonText = button.textContent;

  function describedBy(el, id, add) {
    var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (add) ids.push(id);
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }

  function clearErrors() {
    summary.hidden = true;
    summaryList.textContent = '';
    $$('[data-question]', form).forEach(function (field) {
      var error = $('.field-error', field);
      error.hidden = true;
      error.textContent = '';
      describedBy(field.tagName === 'FIELDSET' ? field : $('input, textarea', field), error.id, false);
      $$('[aria-invalid]', field).forEach(function (input) { input.removeAttribute('aria-invalid'); });
    });
  }

  function showSummary(heading, items) {
    summaryHeading.textContent = heading;
    items.forEach(function (item) {
      var li = document.createElement('li');
      if (item.target) {
        var a = document.createElement('a');
        a.href = '#' + item.target.id;
        a.textContent = item.message;
        // Focus the field itself and keep its label or legend in view, not just the input.
        a.addEventListener('click', function (ev) {
          ev.preventDefault();
          var field = item.target.closest('[data-question]');
          item.target.focus({ preventScroll: true });
          ($('legend, label', field) || item.target).scrollIntoView();
        });
        li.appendChild(a);
      } else {
        li.textContent = item.message;
      }
      summaryList.appendChild(li);
    });
    summary.hidden = false;
    summary.focus();
  }

  // A question's label or legend without its "(required)" mark.
  function questionText(el) {
    var copy = el.cloneNode(true);
    $$('.req', copy).forEach(function (req) { req.remove(); });
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }

  function showFieldErrors(data) {
    var items = [];
    (data.errors || []).forEach(function (e) {
      var field = $$('[data-question]', form).filter(function (f) {
        return f.dataset.question === e.question;
      })[0];
      if (!field) {
        items.push({ message: e.message });
        return;
      }
      var error = $('.field-error', field);
      var inputs = $$('input, textarea', field);
      error.textContent = e.message;
      error.hidden = false;
      describedBy(field.tagName === 'FIELDSET' ? field : inputs[0], error.id, true);
      inputs.forEach(function (input) { input.setAttribute('aria-invalid', 'true'); });
      // The summary names the question: a list of identical "This question needs an answer."
      // links tells a screen reader user nothing about where to go.
      var name = $('legend, label', field);
      var question = name ? questionText(name) : '';
      items.push({ message: question ? question + ' – ' + e.message : e.message, target: inputs[0] });
    });
    if (!items.length) items.push({ message: data.message || form.dataset.unknownError });
    showSummary(errorsHeading, items);
  }

  function failed(message) {
    showSummary(summaryHeading.dataset.failedHeading || errorsHeading,
      [{ message: message || form.dataset.unknownError }]);
  }

  function answers() {
    var out = {};
    $$('[data-question]', form).forEach(function (field) {
      var id = field.dataset.question;
      var kind = field.dataset.kind;
      if (kind === 'multichoice') {
        var values = $$('input:checked', field).map(function (i) { return i.value; });
        if (values.length) out[id] = values;
      } else if (kind === 'choice' || kind === 'scale') {
        var checked = $('input:checked', field);
        if (checked) out[id] = kind === 'scale' ? Number(checked.value) : checked.value;
      } else {
        var text = $('input, textarea', field).value;
        if (text.trim()) out[id] = text;
      }
    });
    return out;
  }

  // The endpoint answers with the site path of the thank-you page; the receipt goes in the query,
  // where the page's script shows it.
  function thanksUrl(data) {
    var url = data.thanks_url;
    if (typeof url !== 'string' || !/^\/(?!\/)/.test(url)) url = form.dataset.thanksUrl;
    return url + '?receipt=' + encodeURIComponent(data.receipt || '');
  }

  // A signed form-render time: the endpoint refuses answers sent faster than a person can type.
  // Put it in a hidden field so a plain form post (the fallback below) carries it too.
  var tokenInput = document.createElement('input');
  tokenInput.type = 'hidden';
  tokenInput.name = 'form_token';
  form.appendChild(tokenInput);
  var tokenFetched = false;
  function fetchToken() {
    if (tokenFetched || form.hidden) return;
    tokenFetched = true;
    fetch(form.action.replace(/\/responses$/, '/form-token'), { headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : {}; })
      .then(function (data) { if (data && data.token) tokenInput.value = data.token; }, function () {});
  }
  fetchToken();
  form.addEventListener('focusin', fetchToken);

  function reset() {
    button.disabled = false;
    button.textContent = buttonText;
  }
  // Coming back with the back button may restore the page as it was while sending.
  window.addEventListener('pageshow', function (ev) { if (ev.persisted) reset(); });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (button.disabled || checkDeadline()) return;
    clearErrors();
    button.disabled = true;
    button.textContent = form.dataset.sending || buttonText;
    var body = {
      lang: form.elements.lang ? form.elements.lang.value : document.documentElement.lang,
      answers: answers(),
      website: form.elements.website ? form.elements.website.value : ''
    };
    if (tokenInput.value) body.form_token = tokenInput.value;
    fetch(form.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.status === 201 || (res.ok && data.receipt)) {
          try {
            sessionStorage.setItem(CALL_KEY, JSON.stringify({
              receipt: data.receipt, title: form.dataset.callTitle, url: location.pathname, lang: document.documentElement.lang,
              call: form.dataset.call
            }));
          } catch (e) { /* private mode: the thank-you page just does not name the call */ }
          location.assign(thanksUrl(data));
          return;
        }
        reset();
        if (res.status === 422) showFieldErrors(data);
        else failed(data.message);
      });
    }, function () {
      // fetch fails on a network error but also when CORS is not set up for the page's origin;
      // a plain form post still works then. Offline, the browser shows its own error page.
      if (navigator.onLine !== false) {
        form.submit();
        return;
      }
      reset();
      failed(form.dataset.networkError);
    });
  });
})();
