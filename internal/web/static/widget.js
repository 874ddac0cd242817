/* cxlens survey widget: shows a survey prompt in the page. No framework.
   <script src="https://cx.example.com/w/widget.js" data-key="PUBLIC_KEY"
     data-survey="nps" data-customer="ext-id" data-lang="zh-Hans" async></script>
   Optional: data-dismiss-days (default 30): how long a closed prompt stays away. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var d = me.dataset, base = new URL(me.src).origin;
  var pk = d.key, key = d.survey, store = "cxlens:" + key + ":";
  if (!pk || !key) return;
  var days = parseFloat(d.dismissDays || "30");
  function get(k) { try { return localStorage.getItem(store + k); } catch (e) { return null; } }
  function set(k, v) { try { localStorage.setItem(store + k, v); } catch (e) { /* private mode */ } }
  var last = +get("closed") || +get("answered");
  if (last && Date.now() - last < days * 864e5) return;

  var q = "?key=" + encodeURIComponent(pk) + (d.lang ? "&lang=" + encodeURIComponent(d.lang) : "") +
    (d.customer ? "&customer=" + encodeURIComponent(d.customer) : "");
  fetch(base + "/w/v1/surveys/" + encodeURIComponent(key) + q, { credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (s) { if (s && s.eligible) show(s); })
    .catch(function () {});

  function post(body) {
    return fetch(base + "/w/v1/responses?key=" + encodeURIComponent(pk), {
      method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text != null) e.textContent = text;
    return e;
  }
  function pick(t, c) { return t[c] || t.detractor || ""; }
  function nonce() {
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  function show(s) {
    var host = el("div", { "data-cxlens": "" }), root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var brand = /^#[0-9a-f]{6}$/i.test(s.brand_color || "") ? s.brand_color : "#1a56db";
    var css = el("style", {}, ":host{all:initial}.w{position:fixed;z-index:2147483000;right:16px;bottom:16px;left:16px;max-width:420px;margin-left:auto;" +
      "background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.18);padding:16px;" +
      "font:15px/1.45 system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif}" +
      "h2{font-size:16px;margin:0 28px 12px 0}fieldset{border:0;margin:0;padding:0;min-width:0}legend{padding:0}" +
      ".s{display:flex;gap:4px}.s button{flex:1;min-width:0;min-height:40px;border:1px solid #d0d7de;background:#fff;color:#1f2328;border-radius:6px;font:inherit;font-weight:600;cursor:pointer;padding:0}" +
      ".s button:hover{background:" + brand + ";color:#fff;border-color:" + brand + "}" +
      ".e{display:flex;justify-content:space-between;color:#57606a;font-size:12px;margin-top:4px}" +
      "textarea{width:100%;box-sizing:border-box;font:inherit;border:1px solid #8c959f;border-radius:6px;padding:8px;margin:4px 0 8px}" +
      ".b{background:" + brand + ";color:#fff;border:0;border-radius:6px;padding:8px 16px;font:inherit;font-weight:600;cursor:pointer}" +
      ".x{position:absolute;top:8px;right:8px;background:none;border:0;font-size:22px;line-height:1;color:#57606a;cursor:pointer;padding:4px 8px}" +
      ":focus-visible{outline:3px solid #bf4b00;outline-offset:2px}label{display:block;font-weight:600}");
    var box = el("div", { "class": "w", role: "dialog", "aria-labelledby": "cxq", lang: s.lang });
    var close = el("button", { "class": "x", type: "button", "aria-label": s.ui.close }, "\u00d7");
    close.onclick = function () { set("closed", Date.now()); host.remove(); };
    var body = el("div");
    box.appendChild(close); box.appendChild(body);
    root.appendChild(css); root.appendChild(box);
    document.body.appendChild(host);

    var n = nonce();
    var fs = el("fieldset"), lg = el("legend"), h = el("h2", { id: "cxq" }, s.question), row = el("div", { "class": "s" });
    lg.appendChild(h); fs.appendChild(lg);
    for (var i = s.scale_min; i <= s.scale_max; i++) {
      var b = el("button", { type: "button", value: i }, String(i));
      if (i === s.scale_min) b.setAttribute("aria-label", i + " \u2013 " + s.low_label);
      if (i === s.scale_max) b.setAttribute("aria-label", i + " \u2013 " + s.high_label);
      b.onclick = function () { score(+this.value); };
      row.appendChild(b);
    }
    var ends = el("div", { "class": "e", "aria-hidden": "true" });
    ends.appendChild(el("span", {}, s.low_label)); ends.appendChild(el("span", {}, s.high_label));
    fs.appendChild(row); fs.appendChild(ends); body.appendChild(fs);

    function thanks(c) {
      set("answered", Date.now());
      body.textContent = "";
      body.appendChild(el("h2", { id: "cxq", role: "status" }, pick(s.thank_you, c)));
      setTimeout(function () { host.remove(); }, 4000);
    }
    function score(v) {
      post({ survey: key, customer: d.customer || "", score: v, lang: s.lang, nonce: n }).then(function (r) {
        if (s.no_comment) return thanks(r.category);
        body.textContent = "";
        var f = el("form"), lab = el("label", { "for": "cxc", id: "cxq" }, pick(s.follow_up, r.category));
        var ta = el("textarea", { id: "cxc", rows: "3", maxlength: "10000" }), send = el("button", { "class": "b", type: "submit" }, s.ui.send);
        f.appendChild(lab); f.appendChild(ta); f.appendChild(send); body.appendChild(f);
        ta.focus();
        f.onsubmit = function (e) {
          e.preventDefault();
          if (!ta.value.trim()) return thanks(r.category);
          send.disabled = true;
          post({ survey: key, token: r.token, comment: ta.value }).then(function () { thanks(r.category); }, function () { send.disabled = false; });
        };
      }).catch(function () { h.textContent = s.ui.error_body; });
    }
  }
})();
