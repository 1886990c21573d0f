// Run sheet on a session's agenda page, for a coach running the meeting from a phone:
// marks the segment under way by the clock (aria-current="time") and counts down its
// minutes. It reads the clock times from the page (data-start, data-minutes), in the
// agency's time zone (data-time-zone); it asks nothing of the network and stores nothing.
// Without scripts the run sheet reads the same, only unmarked.
(function () {
  "use strict";

  var REFRESH = 15000;  // the count-down is in whole minutes: 15 s keeps it on time
  var DAY = 24 * 60;
  var timer = null;
  var refresh = null;  // the update of the page shown

  // The date ("2027-01-26") and the minute of the day (with seconds as a fraction) in
  // the agency's time zone; the device's own clock settings where the zone is unknown.
  function now(zone) {
    var date = new Date();
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone || undefined, hourCycle: "h23", year: "numeric", month: "2-digit",
        day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"
      }).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
      return {
        date: parts.year + "-" + parts.month + "-" + parts.day,
        minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute) +
          Number(parts.second) / 60
      };
    } catch (error) {
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      return {
        date: date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()),
        minutes: date.getHours() * 60 + date.getMinutes() + date.getSeconds() / 60
      };
    }
  }

  // 14:45 as "2:45 PM", the way the page prints its times.
  function clock(minutes) {
    var hour = Math.floor(minutes / 60) % 24;
    var minute = Math.floor(minutes % 60);
    return (hour % 12 || 12) + ":" + (minute < 10 ? "0" : "") + minute +
      (hour < 12 ? " AM" : " PM");
  }

  function text(element, value) {
    if (element.textContent !== value) element.textContent = value;  // no needless re-reads
  }

  function setup(sheet) {
    var items = Array.prototype.slice.call(sheet.querySelectorAll("li[data-start]"));
    var panel = sheet.querySelector(".runsheet-now");
    if (!items.length || !panel) return null;
    var status = panel.querySelector(".runsheet-status");
    var left = panel.querySelector(".runsheet-countdown");
    var previous = -1;
    var segments = items.map(function (item) {
      var hm = item.getAttribute("data-start").split(":");
      var start = Number(hm[0]) * 60 + Number(hm[1]);
      while (start < previous) start += DAY;  // a session that runs past midnight
      previous = start;
      var name = item.querySelector(".runsheet-what");
      return {
        item: item, start: start, end: start + Number(item.getAttribute("data-minutes")),
        name: (name || item).textContent.replace(/\s+/g, " ").trim()
      };
    });
    var first = segments[0].start;
    var last = segments[segments.length - 1].end;
    var zone = sheet.getAttribute("data-time-zone");
    var planned = sheet.getAttribute("data-date");
    var anyDay = !planned;
    var follow = document.createElement("button");
    follow.type = "button";
    follow.className = "runsheet-follow";
    follow.textContent = "Follow today’s clock";
    follow.addEventListener("click", function () {
      anyDay = true;
      update();
      status.focus();
    });
    status.setAttribute("tabindex", "-1");
    panel.hidden = false;
    sheet.classList.add("runsheet--live");

    function update() {
      var time = now(zone);
      var minute = time.minutes;
      if (minute < first && minute + DAY < last) minute += DAY;  // after midnight
      var current = null;
      segments.forEach(function (segment) {
        var on = anyDay || time.date === planned;
        var under = on && segment.start <= minute && minute < segment.end;
        var badge = segment.item.querySelector(".runsheet-left");
        if (under) {
          current = segment;
          segment.item.setAttribute("aria-current", "time");
          segment.item.style.setProperty("--runsheet-done",
            Math.round(100 * (minute - segment.start) / (segment.end - segment.start)) + "%");
          if (!badge) {
            badge = document.createElement("span");
            badge.className = "runsheet-left";
            segment.item.appendChild(badge);
          }
          text(badge, Math.max(1, Math.ceil(segment.end - minute - 1e-6)) + " min left");
        } else {
          segment.item.removeAttribute("aria-current");
          segment.item.style.removeProperty("--runsheet-done");
          if (badge) badge.parentNode.removeChild(badge);
        }
      });
      panel.classList.toggle("runsheet-now--current", !!current);
      if (!anyDay && time.date !== planned) {
        text(status, "Planned for " + sheet.getAttribute("data-day") + ", " + clock(first) +
          ".");
        if (follow.parentNode !== left) {
          left.textContent = "";
          left.appendChild(follow);
        }
        return;
      }
      if (follow.parentNode) follow.parentNode.removeChild(follow);
      if (current) {
        text(status, "Now: " + current.name + ", until " + clock(current.end) + ".");
        text(left, current.item.querySelector(".runsheet-left").textContent);
      } else if (minute < first) {
        text(status, "Starts at " + clock(first) + ".");
        text(left, first - minute <= 120 ?
          "in " + Math.ceil(first - minute - 1e-6) + " min" : "");
      } else {
        text(status, "Finished at " + clock(last) + ".");
        text(left, "");
      }
    }

    update();
    return update;
  }

  function start() {
    if (timer) clearInterval(timer);
    var sheet = document.querySelector(".runsheet[data-time-zone]");
    refresh = sheet && setup(sheet);
    timer = refresh ? setInterval(refresh, REFRESH) : null;
  }

  // A phone put down and picked up again shows the right segment at once.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && refresh) refresh();
  });

  // Material's instant loading (if it is ever turned on) swaps pages without a reload.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else {
    start();
  }
})();
