// heat-temporal dashboard: reads the Heat API with the caller's token and draws one stack's
// resources as a dependency graph (cytoscape.js), coloured by status, beside its live events.
"use strict";

const COLOURS = { COMPLETE: "#2e7d32", IN_PROGRESS: "#ef6c00", FAILED: "#c62828", WAITING: "#b0bec5" };
const state = { project: "", token: "", cy: null, stack: null, stream: null, events: [] };
window.dashboard = state;

function headers() {
  return { Accept: "application/json", "X-Auth-Token": state.token || "notused" };
}

async function api(path) {
  const answer = await fetch(`/v1/${encodeURIComponent(state.project)}${path}`, { headers: headers() });
  if (!answer.ok) throw new Error(`${path}: ${answer.status}`);
  return answer.json();
}

function phase(resourceStatus) {
  const [action, ...rest] = resourceStatus.split("_");
  const status = rest.join("_");
  if (status === "FAILED") return "FAILED";
  if (status === "IN_PROGRESS") return "IN_PROGRESS";
  if (action === "INIT") return "WAITING";
  return "COMPLETE";
}

async function loadStacks() {
  const { stacks } = await api("/stacks?sort_keys=created_at&sort_dir=desc");
  const list = document.querySelector("#stacks ul");
  list.replaceChildren();
  for (const stack of stacks) {
    const item = document.createElement("li");
    item.dataset.name = stack.stack_name;
    item.dataset.id = stack.id;
    const status = document.createElement("small");
    status.className = stack.stack_status.split("_").slice(1).join("_");
    status.textContent = stack.stack_status;
    item.append(`${stack.stack_name} `, status);
    item.onclick = () => selectStack(stack.stack_name, stack.id);
    list.append(item);
  }
}

function setStackStatus(status, reason) {
  const el = document.getElementById("stack-status");
  el.textContent = `${status}${reason ? ": " + reason : ""}`;
  el.className = status.split("_").slice(1).join("_");
  el.dataset.status = status;
}

function nodeStyle(node, resourceStatus) {
  node.data("status", resourceStatus);
  node.data("phase", phase(resourceStatus));
}

function drawGraph(resources) {
  const elements = [];
  for (const r of resources) {
    elements.push({ data: { id: r.resource_name, label: `${r.resource_name}\n${r.resource_type}`,
                            status: r.resource_status, phase: phase(r.resource_status) } });
  }
  const names = new Set(resources.map((r) => r.resource_name));
  for (const r of resources) {
    for (const dependent of r.required_by || []) {
      if (names.has(dependent)) {
        elements.push({ data: { id: `${r.resource_name}->${dependent}`, source: r.resource_name, target: dependent } });
      }
    }
  }
  if (state.cy) state.cy.destroy();
  state.cy = cytoscape({
    container: document.getElementById("graph"),
    elements,
    layout: { name: "breadthfirst", directed: true, padding: 20, spacingFactor: 1.2 },
    style: [
      { selector: "node", style: {
          label: "data(label)", "text-wrap": "wrap", "font-size": 10, "text-valign": "bottom",
          "background-color": COLOURS.WAITING, width: 28, height: 28 } },
      // Data selectors: a node's colour follows its status as events change it.
      ...Object.entries(COLOURS).map(([name, colour]) => (
        { selector: `node[phase = "${name}"]`, style: { "background-color": colour } })),
      { selector: "edge", style: {
          width: 2, "line-color": "#90a4ae", "target-arrow-color": "#90a4ae",
          "target-arrow-shape": "triangle", "curve-style": "bezier" } },
    ],
  });
}

function addEvent(event) {
  state.events.push(event);
  const item = document.createElement("li");
  const time = event.event_time ? event.event_time.slice(11, 19) : "";
  // Text nodes only: names and reasons come from templates and clouds, never markup.
  const name = document.createElement("b");
  name.textContent = event.resource_name;
  const status = document.createElement("span");
  status.className = phase(event.resource_status);
  status.textContent = event.resource_status;
  item.append(`${time} `, name, " ", status, ` ${event.resource_status_reason || ""}`);
  document.getElementById("events").prepend(item);
  if (state.stack && event.resource_name === state.stack.name && event.physical_resource_id === state.stack.id) {
    setStackStatus(event.resource_status, event.resource_status_reason);
    return;
  }
  const node = state.cy && state.cy.getElementById(event.resource_name);
  if (node && node.length) {
    nodeStyle(node, event.resource_status);
  } else if (state.cy) {
    state.cy.add({ data: { id: event.resource_name, label: event.resource_name,
                           status: event.resource_status, phase: phase(event.resource_status) } });
  }
}

async function followEvents(base) {
  // fetch rather than EventSource: it can send the X-Auth-Token header the API needs.
  const controller = new AbortController();
  state.stream = controller;
  document.getElementById("live").textContent = "(live)";
  const answer = await fetch(`/v1/${encodeURIComponent(state.project)}${base}/events?watch=true`,
                             { headers: headers(), signal: controller.signal });
  const reader = answer.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let kind = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) kind = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (!data) continue;
      const body = JSON.parse(data);
      if (kind === "event") addEvent(body);
      else if (kind === "stack") setStackStatus(body.stack_status, body.stack_status_reason);
    }
  }
  document.getElementById("live").textContent = "(ended)";
  state.streamEnded = true;
  await loadWorkflows(base);
  await loadStacks();
}

async function loadWorkflows(base) {
  const { workflows } = await api(`${base}/workflows`);
  const list = document.getElementById("workflows");
  list.replaceChildren();
  for (const w of workflows) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = w.url;
    link.target = "_blank";
    link.textContent = w.workflow_id;
    item.append(link, ` ${w.type} ${w.status || ""}`);
    list.append(item);
  }
}

async function selectStack(name, id) {
  if (state.stream) state.stream.abort();
  state.stack = { name, id };
  state.events = [];
  state.streamEnded = false;
  document.getElementById("events").replaceChildren();
  for (const li of document.querySelectorAll("#stacks li")) {
    li.classList.toggle("selected", li.dataset.id === id);
  }
  document.getElementById("stack-title").textContent = name;
  const base = `/stacks/${encodeURIComponent(name)}/${id}`;
  const { stack } = await api(base);
  setStackStatus(stack.stack_status, stack.stack_status_reason);
  const { resources } = await api(`${base}/resources`);
  drawGraph(resources);
  await loadWorkflows(base);
  followEvents(base).catch((error) => {
    if (error.name !== "AbortError") document.getElementById("live").textContent = `(${error})`;
  });
}

async function start() {
  const params = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.slice(1));
  state.project = params.get("project") || "";
  state.token = hash.get("token") || sessionStorage.getItem("heat-token") || "";
  document.getElementById("project").value = state.project;
  document.getElementById("load").onclick = async () => {
    state.project = document.getElementById("project").value;
    state.token = document.getElementById("token").value || state.token;
    if (state.token) sessionStorage.setItem("heat-token", state.token);
    await loadStacks();
  };
  if (!state.project) return;
  await loadStacks();
  const wanted = params.get("stack");
  const item = wanted && [...document.querySelectorAll("#stacks li")].find((li) => li.dataset.name === wanted || li.dataset.id === wanted);
  if (item) await selectStack(item.dataset.name, item.dataset.id);
}

start();
