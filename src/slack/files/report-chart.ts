// The report as a picture: turns per member against the share each would have had if turns had
// followed availability. Rendered in-process (Chart.js on a Skia canvas): no browser, no chart
// service, so nothing about the team leaves the process but the PNG sent to the asker's DM.
import type { ChartConfiguration } from 'chart.js';

// The canvas (a native module) and Chart.js are loaded with the first chart, not with every start:
// most processes never draw one.
let drawing:
  | Promise<{
      createCanvas: typeof import('@napi-rs/canvas').createCanvas;
      Chart: typeof import('chart.js').Chart;
    }>
  | undefined;
const loadDrawing = () =>
  (drawing ??= Promise.all([import('@napi-rs/canvas'), import('chart.js')]).then(([canvas, charts]) => {
    const { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title } = charts;
    Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title);
    return { createCanvas: canvas.createCanvas, Chart };
  }));

export interface ChartRow {
  readonly name: string;
  readonly turns: number;
  /** Turns they would have had in proportion to their available days. */
  readonly fairShare: number;
}

const WIDTH = 900;
/** Room per member: one horizontal pair of bars each, so a team of 100 still reads. */
const ROW_HEIGHT = 34;
const CHROME_HEIGHT = 130;

/** A PNG bar chart, one row per member, in the order given. */
export async function renderTurnsChart(rows: readonly ChartRow[], title: string): Promise<Buffer> {
  const { createCanvas, Chart } = await loadDrawing();
  const height = CHROME_HEIGHT + ROW_HEIGHT * Math.max(rows.length, 1);
  const canvas = createCanvas(WIDTH, height);
  const context = canvas.getContext('2d');
  // A white background: Slack shows a transparent PNG on dark themes as black text on black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, height);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.name),
      datasets: [
        { label: 'Turns started', data: rows.map((r) => r.turns), backgroundColor: '#2f6fab' },
        {
          label: 'Fair share for their available days',
          data: rows.map((r) => Math.round(r.fairShare * 10) / 10),
          backgroundColor: '#c3ccd6',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      // Server-side: no animation frames, no resize observer.
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: title, font: { size: 16 } },
        legend: { position: 'top' },
      },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  // Chart.js only needs the 2D context; Skia's is close enough to the browser's for bar charts.
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
