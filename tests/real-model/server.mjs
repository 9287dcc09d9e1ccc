// A small OpenAI-compatible chat-completions server over llama.cpp (node-llama-cpp), CPU only,
// for the real-model test (crates/core/tests/real_model.rs). node-llama-cpp has no server of
// its own; this one speaks just what the app uses:
//
//   GET  /v1/models                 the one loaded model
//   POST /v1/chat/completions       SSE when "stream": true, else one JSON object
//   POST /json/v1/chat/completions  always one JSON object, like servers that ignore "stream"
//   GET  /stats                     how many chat calls were answered, and the last request
//
// Usage: node server.mjs --model FILE.gguf [--port 0] [--threads N] [--max-tokens N]
//                        [--api-key KEY] [--stop TEXT]...
// Once the model is loaded and the port open it prints one line to stdout:
//   listening http://127.0.0.1:PORT
// Requests are answered one at a time (one context sequence): a test server, not a product.

import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getLlama, LlamaChatSession } from "node-llama-cpp";

const { values: args } = parseArgs({
    options: {
        model: { type: "string" },
        port: { type: "string", default: "0" },
        // node-llama-cpp's default (at least 4) oversubscribes a small machine and is many times
        // slower; more threads than free cores stall each other. The test passes cores - 1.
        threads: { type: "string", default: String(os.availableParallelism()) },
        // Room for a naturally ended answer of a few paragraphs; a request may ask for less.
        "max-tokens": { type: "string", default: "512" },
        "api-key": { type: "string" },
        // Stop sequences applied to every request (as if each sent them in "stop"), e.g. a
        // blank line to end answers after their first paragraph and keep test runs short.
        stop: { type: "string", multiple: true, default: [] },
    },
});
if (!args.model) {
    console.error("server.mjs: --model FILE.gguf is required");
    process.exit(2);
}
const threads = Number(args.threads);
const maxTokensCap = Number(args["max-tokens"]);
const modelId = path.basename(args.model).replace(/\.gguf$/i, "");

// Prebuilt CPU binaries only: never try to compile or download anything at test time.
const llama = await getLlama({ gpu: false, build: "never", maxThreads: threads, logLevel: "error" });
const model = await llama.loadModel({ modelPath: args.model });
const context = await model.createContext({ contextSize: 2048, sequences: 1, threads });

const stats = { chat_calls: 0, models_calls: 0, last_chat_request: null };
let queue = Promise.resolve();

/** Runs `job` after every job queued before it (the context has a single sequence). */
function serialized(job) {
    const run = queue.then(job, job);
    queue = run.catch(() => {});
    return run;
}

/** Writes one completion; `onText` gets each piece as it is generated. */
async function generate(messages, maxTokens, temperature, stop, signal, onText) {
    const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
    const turns = messages.filter((m) => m.role !== "system");
    const last = turns.pop();
    if (!last || last.role !== "user") throw new HttpError(400, "the last message must be from the user");
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: system || undefined });
    try {
        if (turns.length > 0) {
            const history = session.getChatHistory();
            for (const turn of turns) {
                history.push(turn.role === "assistant"
                    ? { type: "model", response: [String(turn.content)] }
                    : { type: "user", text: String(turn.content) });
            }
            session.setChatHistory(history);
        }
        const result = await session.promptWithMeta(String(last.content), {
            maxTokens,
            temperature,
            // Keeps the tiny model from looping until the token cap instead of ending.
            repeatPenalty: { penalty: 1.15 },
            customStopTriggers: stop.length > 0 ? stop : undefined,
            signal,
            stopOnAbortSignal: true,
            onTextChunk: onText,
        });
        return { text: result.responseText, finish: result.stopReason === "maxTokens" ? "length" : "stop" };
    } finally {
        session.dispose();
        sequence.dispose();
    }
}

class HttpError extends Error {
    constructor(status, message, code = null) {
        super(message);
        this.status = status;
        this.code = code;
    }
}

function sendJson(res, status, body) {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
}

async function readJson(req) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
        return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
        throw new HttpError(400, "the body is not valid JSON");
    }
}

async function chat(req, res, forceJson) {
    const body = await readJson(req);
    if (!Array.isArray(body.messages)) throw new HttpError(400, "messages must be an array");
    if (body.model !== undefined && body.model !== modelId) {
        throw new HttpError(404, `The model '${body.model}' does not exist`, "model_not_found");
    }
    stats.chat_calls += 1;
    stats.last_chat_request = body;
    const asked = Number(body.max_completion_tokens ?? body.max_tokens ?? maxTokensCap);
    const maxTokens = Math.max(1, Math.min(asked, maxTokensCap));
    const askedStop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
    const stop = [...args.stop, ...askedStop].filter((s) => typeof s === "string" && s !== "");
    // Greedy unless asked otherwise: the test asserts plumbing, and repeatable runs help.
    const temperature = typeof body.temperature === "number" ? body.temperature : 0;
    const id = `chatcmpl-${stats.chat_calls}`;
    const created = Math.floor(Date.now() / 1000);
    const aborter = new AbortController();
    res.on("close", () => aborter.abort());

    if (body.stream === true && !forceJson) {
        const chunk = (delta, finish) => `data: ${JSON.stringify({
            id, object: "chat.completion.chunk", created, model: modelId,
            choices: [{ index: 0, delta, finish_reason: finish }],
        })}\n\n`;
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.write(chunk({ role: "assistant", content: "" }, null));
        const { finish } = await serialized(() => generate(body.messages, maxTokens, temperature, stop,
            aborter.signal, (text) => res.write(chunk({ content: text }, null))));
        res.write(chunk({}, finish));
        res.end("data: [DONE]\n\n");
        return;
    }
    const { text, finish } = await serialized(() => generate(body.messages, maxTokens, temperature, stop,
        aborter.signal, () => {}));
    sendJson(res, 200, {
        id, object: "chat.completion", created, model: modelId,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finish }],
    });
}

async function route(req, res) {
    const url = new URL(req.url, "http://localhost");
    if (req.method === "GET" && url.pathname === "/stats") return sendJson(res, 200, stats);
    if (args["api-key"] !== undefined && req.headers.authorization !== `Bearer ${args["api-key"]}`) {
        throw new HttpError(401, "Incorrect API key provided", "invalid_api_key");
    }
    if (req.method === "GET" && url.pathname === "/v1/models") {
        stats.models_calls += 1;
        return sendJson(res, 200, {
            object: "list",
            data: [{ id: modelId, object: "model", created: 0, owned_by: "local", shutdown_date: null }],
        });
    }
    if (req.method === "POST" && url.pathname === "/v1/chat/completions") return chat(req, res, false);
    if (req.method === "POST" && url.pathname === "/json/v1/chat/completions") return chat(req, res, true);
    throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
}

const server = http.createServer((req, res) => {
    route(req, res).catch((error) => {
        const status = error instanceof HttpError ? error.status : 500;
        const code = error instanceof HttpError ? error.code : null;
        if (status === 500) console.error("server.mjs:", error);
        if (res.headersSent) return res.end();
        sendJson(res, status, { error: { message: error.message, type: "invalid_request_error", code } });
    });
});
server.listen(Number(args.port), "127.0.0.1", () => {
    console.log(`listening http://127.0.0.1:${server.address().port}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => process.exit(0));
}
