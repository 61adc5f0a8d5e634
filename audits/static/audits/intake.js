/* Grievance intake, progressive enhancement (the form works without this file):
   - keeps each step's fields on the device (localStorage) as they are typed, and restores them into empty fields;
   - with the connection gone, a submitted step is kept and sent by itself when the connection returns;
   - on the "what happened" step, suggests categories as the description is typed (debounced POST, JSON). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-intake-step]");
  if (!form) { return; }
  var key = "tributary-intake:" + location.pathname;
  var notice = form.querySelector(".intake-offline");
  var texts = JSON.parse(document.getElementById("intake-texts").textContent);

  function fields() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { (data[name] = data[name] || []).push(value); }
    });
    return data;
  }
  function save(pending) {
    try { localStorage.setItem(key, JSON.stringify({ fields: fields(), pending: !!pending })); } catch (e) { /* full or private */ }
  }
  function saved() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ } }
  function say(text) { if (notice) { notice.textContent = text; notice.hidden = !text; } }

  function restore(draft) {
    Object.keys(draft.fields).forEach(function (name) {
      var input = form.elements[name];
      if (!input || input.type === "hidden" || input instanceof RadioNodeList) { return; }
      if (input.type === "checkbox") { if (!input.checked) { input.checked = draft.fields[name].length > 0; } }
      else if (!input.value) { input.value = draft.fields[name][0]; }
    });
  }

  function sendKept() {
    var draft = saved();
    if (!draft || !draft.pending) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    Object.keys(draft.fields).forEach(function (name) {
      draft.fields[name].forEach(function (value) { body.append(name, value); });
    });
    say(texts.sending);
    fetch(form.action || location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok && response.status !== 400) { throw new Error(String(response.status)); }
        forget();
        if (response.redirected) { location.assign(response.url); return null; }
        return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
      })
      .catch(function () { say(texts.offline); });
  }

  var draft = saved();
  if (draft) { restore(draft); }
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { forget(); return; }
    event.preventDefault();
    save(true);
    say(texts.offline);
  });
  window.addEventListener("online", sendKept);
  if (navigator.onLine) { sendKept(); }

  var box = document.getElementById("suggestions");
  var description = form.elements.description;
  var category = form.elements.category;
  if (!box || !description || !category) { return; }
  var timer = null;
  var list = box.querySelector("ul");
  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (s) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-small btn-secondary";
      button.textContent = s.label + " (" + Math.round(s.confidence * 100) + "%)";
      button.setAttribute("aria-pressed", String(category.value === s.category));
      button.addEventListener("click", function () {
        category.value = s.category;
        list.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        save(false);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.hidden = suggestions.length === 0;
  }
  function ask() {
    var text = description.value.trim();
    if (text.length < 12 || !navigator.onLine) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("text", text);
    fetch(form.getAttribute("data-suggest-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (found) { show(found.suggestions || []); })
      .catch(function () { /* suggestions are a help, not a step */ });
  }
  description.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 500); });
  if (description.value) { ask(); }
}());
