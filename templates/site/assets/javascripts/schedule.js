// The next session by the reader's own clock. A session is the next one until it ends.
// - Schedule page: its row is marked, and the page opens at it (unless the address names
//   another place on the page).
// - Home page: every dated session is in the page, hidden; the next one is shown, with
//   "Today's", "Tonight's" or "Tomorrow's session" as the box's title when it is that close.
// Nothing is fetched, so this works from the folder too. Without scripts the schedule reads
// the same, only unmarked, and the home page's box points to the schedule.
(function () {
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var day = function (date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  };
  var today = day(now);
  var tomorrow = day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));

  // A local date and time as written in the pages, "2027-02-09T15:30", read by hand:
  // some browsers read such a string as UTC.
  var local = function (text) {
    var parts = text.split(/[-T:]/).map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2], parts[3] || 0, parts[4] || 0);
  };
  // Not over yet: by its end time, or (without one) by its date.
  var ahead = function (date, ends) {
    return ends ? local(ends) > now : date >= today;
  };

  var dates = document.querySelectorAll("time.session-date");
  for (var i = 0; i < dates.length; i++) {
    if (ahead(dates[i].getAttribute("datetime"), dates[i].getAttribute("data-ends"))) {
      var row = dates[i].closest("tr");
      row.classList.add("next-session");
      var badge = document.createElement("strong");
      badge.className = "next-badge";
      badge.textContent = "Next session";
      dates[i].parentNode.appendChild(badge);
      if (!window.location.hash && row.scrollIntoView) {
        row.scrollIntoView({ block: "center" });
      }
      break;
    }
  }

  var box = document.querySelector(".next-session-box");
  if (box) {
    var items = box.querySelectorAll(".next-session-box__item");
    for (var j = 0; j < items.length; j++) {
      var starts = items[j].getAttribute("data-starts");
      if (ahead(starts.slice(0, 10), items[j].getAttribute("data-ends"))) {
        items[j].hidden = false;
        var fallback = box.querySelector(".next-session-box__fallback");
        if (fallback) fallback.hidden = true;
        var title = box.querySelector(".admonition-title");
        var when = starts.slice(0, 10);
        var evening = Number(starts.slice(11, 13)) >= 17;
        if (title && when === today) {
          title.textContent = evening ? "Tonight's session" : "Today's session";
        }
        if (title && when === tomorrow) title.textContent = "Tomorrow's session";
        break;
      }
    }
  }
})();
