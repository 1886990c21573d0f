// Schedule page: mark the next session by the reader's own date. Without scripts the
// schedule reads the same, only unmarked.
(function () {
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var dates = document.querySelectorAll("time.session-date");
  for (var i = 0; i < dates.length; i++) {
    if (dates[i].getAttribute("datetime") >= today) {
      var row = dates[i].closest("tr");
      row.classList.add("next-session");
      var badge = document.createElement("strong");
      badge.className = "next-badge";
      badge.textContent = "Next session";
      dates[i].parentNode.appendChild(badge);
      break;
    }
  }
})();
