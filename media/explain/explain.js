// The EXPLAIN panel's script: buttons post messages to the extension; everything else is static HTML.
// Runs under a strict CSP (nonce); no inline handlers, no eval, no HTML built from data.
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    const target = event.target instanceof Element ? event.target.closest('button[data-command]') : null;
    if (!target) return;
    const command = target.getAttribute('data-command');
    if (command === 'expand' || command === 'collapse') {
      document.querySelectorAll('details.node').forEach(function (d) {
        d.open = command === 'expand';
      });
      return;
    }
    if (command === 'copy') {
      const raw = document.getElementById('raw-text');
      vscode.postMessage({ command: 'copy', text: raw ? raw.textContent : '' });
      return;
    }
    if (command === 'analyze') target.setAttribute('disabled', 'true');
    vscode.postMessage({ command: command });
  });
})();
