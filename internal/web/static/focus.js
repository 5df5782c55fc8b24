// After a failed submit or sign-in, the page opens on its error summary:
// focus moves there, so that a screen reader reads it out first and a
// keyboard user tabs on from it to the fields it links to. (A script file,
// not an inline one: the Content-Security-Policy allows scripts from 'self'
// only.)
(function () {
  function focusSummary() {
    var s = document.querySelector('.error-summary');
    if (!s) return;
    if (!s.hasAttribute('tabindex')) s.setAttribute('tabindex', '-1');
    s.focus();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusSummary);
  } else {
    focusSummary();
  }
})();
