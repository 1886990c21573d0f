// Live preview only (`curriculum serve` adds this script to the pages it serves): when the
// last save has problems, show them at the top of the page, each with its file and line.
// The preview writes them to preview-problems.json at the site's root after every save.
(function () {
  var script = document.currentScript;
  if (!script || !window.fetch) {
    return;
  }
  var add = function (parent, tag, text, className) {
    var element = document.createElement(tag);
    if (text) {
      element.textContent = text;
    }
    if (className) {
      element.className = className;
    }
    parent.appendChild(element);
    return element;
  };
  fetch(new URL("../../preview-problems.json", script.src), { cache: "no-store" })
    .then(function (reply) { return reply.ok ? reply.json() : null; })
    .then(function (report) {
      if (!report || !report.problems || !report.problems.length) {
        return;
      }
      var banner = document.createElement("div");
      banner.className = "admonition failure preview-problems";
      banner.setAttribute("role", "alert");
      add(banner, "p", report.title, "admonition-title");
      var list = add(banner, "ul");
      report.problems.forEach(function (problem) {
        var item = add(list, "li");
        add(item, "code", problem.text);
        if (problem.excerpt) {
          add(item, "pre", problem.excerpt);
        }
      });
      var article = document.querySelector("article.md-content__inner") || document.body;
      article.insertBefore(banner, article.firstChild);
    })
    .catch(function () {});
})();
