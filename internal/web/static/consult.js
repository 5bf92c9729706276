// consult: selecting a passage of a draft fills the comment form's point
// and quote. Only an enhancement: without JavaScript the reader pastes the
// passage into the quote field, and the server checks it the same way.
(function () {
  'use strict';
  function elementOf(node) {
    return node && (node.nodeType === 1 ? node : node.parentElement);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var draft = document.querySelector('.consult-draft');
    var quote = document.getElementById('quote');
    var point = document.getElementById('point');
    var status = document.getElementById('consult-selection');
    if (!draft || !quote || !point || !status) {
      return;
    }
    function take() {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed) {
        return;
      }
      var text = sel.toString().replace(/\s+/g, ' ').trim();
      var a = elementOf(sel.anchorNode), f = elementOf(sel.focusNode);
      var block = a && a.closest('.consult-block');
      if (!text || text.length > 1000 || !block || !f || f.closest('.consult-block') !== block) {
        return;
      }
      point.value = block.id;
      quote.value = text;
      status.hidden = false;
      status.querySelector('span').textContent = '«' + (text.length > 80 ? text.slice(0, 80) + '…' : text) + '»';
    }
    draft.addEventListener('mouseup', take);
    draft.addEventListener('keyup', take);
  });
})();
