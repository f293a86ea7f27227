#!/usr/bin/env python3
"""Copies the committed evaluation results into the shipped models' manifest.json ("measured").

Sources: tflite-models/training/runs/voice_eval.json (python -m training.eval_voice) for the voice
models, tools/results/photo_model_eval_12img.txt (tools/photo-model-eval) for the photo models.
Rerun after either evaluation; the field is appended (or replaced) as the manifest's last key
so the rest of the file, which the exporters write, keeps its layout. Run from the repo root.
"""
import csv
import io
import json
import statistics
import sys

MODELS = 'tflite-models/src/main/resources/models/'


def voice_measured():
    table = json.load(open('tflite-models/training/runs/voice_eval.json'))['table']

    def mean(method):
        return {k: round(table[method]['mean'][k], 3) for k in ('pesq', 'stoi', 'si_sdr')}

    out = {}
    for precision in ('float32', 'int8'):
        rows = table['ours-' + precision]
        measured = out[f'voice/voice_rnnoise_small_{precision}'] = {
            'source': 'tflite-models/training/runs/voice_eval.md (python -m training.eval_voice)',
            'set': 'test split, 10 clips per SNR, -5/0/5/10/15/20 dB, metrics at 16 kHz; through '
                   '`denoise audio` with its defaults (1 s warm-up on each clip)',
            'pesq_wb': {k: round(v['pesq'], 3) for k, v in rows.items()},
            'stoi': {k: round(v['stoi'], 4) for k, v in rows.items()},
            'si_sdr_db': {k: round(v['si_sdr'], 2) for k, v in rows.items()},
            'rnnoise_mean': mean('rnnoise'),
        }
        if 'rnnoise-warm' in table:
            # RNNoise given the same 1 s warm-up on each clip.
            measured['rnnoise_warm_mean'] = mean('rnnoise-warm')
        if precision == 'float32' and 'ours-float32-live' in table:
            # No look-ahead on every clip (--warm-up 0: 50 ms of silence first), as the live path starts.
            measured['live_mean'] = mean('ours-float32-live')
    return out


def photo_measured():
    text = open('tools/results/photo_model_eval_12img.txt').read()
    lines = [l for l in text.splitlines() if l and l[0] not in '#|']
    rows = list(csv.DictReader(io.StringIO('\n'.join(lines))))
    out = {}
    for precision, column in (('float32', 'neural-f32'), ('int8', 'neural-int8')):
        table = {}
        for name in ('BSD68', 'CBSD68'):
            for sigma in ('15', '25', '50'):
                sel = [r for r in rows if r['set'] == name and r['sigma'] == sigma]
                if not sel:
                    sys.exit(f'no rows for {name} sigma {sigma} in the photo evaluation')
                table[f'{name} sigma {sigma}'] = {
                    'images': len(sel),
                    'psnr': round(statistics.mean(float(r[column + '_psnr']) for r in sel), 2),
                    'ssim': round(statistics.mean(float(r[column + '_ssim']) for r in sel), 4),
                    'our_bm3d_psnr': round(statistics.mean(float(r['bm3d_psnr']) for r in sel), 2),
                }
        out[f'photo/photo_ffdnet_small_{precision}'] = {
            'source': 'tools/results/photo_model_eval_12img.txt (tools/photo-model-eval --count 12; classic columns from tools/results/comparison/image_classic.csv)',
            'runtime': 'float32 through the Java CLI (TFLite 2.6 JNI); int8 through Python tf.lite',
            'table': table,
        }
    return out


def write(folder, measured):
    path = MODELS + folder + '/manifest.json'
    text = open(path).read()
    manifest = json.loads(text)
    if 'measured' in manifest:  # replace: drop the old last key, written by this script
        text = text[:text.rindex(',\n  "measured": ')] + '\n}'
    body = json.dumps(measured, indent=2).replace('\n', '\n  ')
    text = text.rstrip()[:-1].rstrip() + ',\n  "measured": ' + body + '\n}\n'
    if json.loads(text)['measured'] != measured:
        sys.exit(f'{path}: the rewritten manifest does not hold the new figures')
    open(path, 'w').write(text)
    print(f'{path}: measured written')


if __name__ == '__main__':
    for folder, measured in {**voice_measured(), **photo_measured()}.items():
        write(folder, measured)
