// A plain, offline rendering of /openapi.json: endpoints with their parameters and responses, and
// the fields of every model. (FastAPI's own /docs pages load their scripts from a CDN.)
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function typeOf(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.type === "array") return typeOf(schema.items) + "[]";
  return schema.type || "object";
}

function table(rows, head) {
  const t = el("table");
  const tr = el("tr");
  for (const h of head) tr.appendChild(el("th", h));
  t.appendChild(tr);
  for (const r of rows) {
    const row = el("tr");
    for (const c of r) row.appendChild(el("td", c));
    t.appendChild(row);
  }
  return t;
}

async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  document.getElementById("title").textContent = `${spec.info.title} API ${spec.info.version}`;
  document.getElementById("summary").textContent = [spec.info.summary, spec.info.description].filter(Boolean).join(" ");
  const ops = document.getElementById("ops");
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const box = el("div", null, "op");
      box.id = `${method}-${path}`;
      box.append(el("span", method.toUpperCase(), "method"), el("span", path, "path"), el("span", " · " + (op.summary || "")));
      if (op.description) box.appendChild(el("p", op.description, "fields"));
      const params = (op.parameters || []).map((p) => [p.name, p.in, typeOf(p.schema), p.description || ""]);
      if (params.length) box.appendChild(table(params, ["parameter", "in", "type", "meaning"]));
      const body = op.requestBody && op.requestBody.content["application/json"];
      if (body) box.appendChild(el("div", "body: " + typeOf(body.schema), "fields"));
      const answers = Object.entries(op.responses || {}).map(([code, r]) => {
        const content = r.content && Object.values(r.content)[0];
        return `${code} ${content ? typeOf(content.schema) : ""}`.trim();
      });
      box.appendChild(el("div", "responses: " + answers.join(", "), "fields"));
      ops.appendChild(box);
    }
  }
  const models = document.getElementById("models");
  for (const [name, schema] of Object.entries((spec.components || {}).schemas || {})) {
    const box = el("div", null, "op");
    box.id = "model-" + name;
    box.appendChild(el("span", name, "path"));
    if (schema.description) box.appendChild(el("span", " · " + schema.description.split("\n")[0]));
    const rows = Object.entries(schema.properties || {}).map(([k, v]) =>
      [k, typeOf(v), (schema.required || []).includes(k) ? "required" : "", v.description || ""]);
    if (rows.length) box.appendChild(table(rows, ["field", "type", "", "meaning"]));
    models.appendChild(box);
  }
}

main();
