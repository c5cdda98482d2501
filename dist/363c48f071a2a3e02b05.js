module.exports = eval("require")("../src/metrics/data/wordnet-3.0.json.gz");
